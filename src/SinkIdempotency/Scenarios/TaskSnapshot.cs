namespace SinkIdempotency.Scenarios;

/// <summary>Describes one task of a connector as the Connect status API reported it.</summary>
/// <param name="Task">The task number.</param>
/// <param name="State">The state (<c>RUNNING</c>, <c>FAILED</c>, <c>UNASSIGNED</c>, ...).</param>
/// <param name="WorkerId">The Connect id of the worker running the task.</param>
/// <param name="Trace">The failure trace, or <see langword="null"/>.</param>
public sealed record TaskSnapshot(int Task, string State, string? WorkerId, string? Trace = null);
