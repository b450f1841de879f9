namespace SinkIdempotency.Evidence;

/// <summary>Holds the state of one task in a <see cref="ConnectorStateEvidence"/>.</summary>
/// <param name="Task">The task number.</param>
/// <param name="State">The state.</param>
/// <param name="WorkerId">The worker running the task.</param>
/// <param name="Trace">The first line of the failure trace, or <see langword="null"/>.</param>
public sealed record TaskStateEvidence(int Task, string State, string? WorkerId, string? Trace);
