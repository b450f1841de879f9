namespace SinkIdempotency.Scenarios;

/// <summary>Describes a connector and its tasks as the Connect status API reported them at one moment.</summary>
/// <param name="Name">The connector name.</param>
/// <param name="State">The connector state, or <c>MISSING</c> when the connector does not exist.</param>
/// <param name="WorkerId">The Connect id of the worker running the connector instance, or <see langword="null"/>.</param>
/// <param name="Tasks">The tasks, ordered by task number.</param>
public sealed record ConnectorSnapshot(string Name, string State, string? WorkerId, IReadOnlyList<TaskSnapshot> Tasks)
{
    /// <summary>The state reported for a connector that does not exist.</summary>
    public const string Missing = "MISSING";

    /// <summary>Gets a value indicating whether the connector and all its tasks run.</summary>
    /// <value><see langword="true"/> when the connector is <c>RUNNING</c> with at least one task and every task is <c>RUNNING</c>.</value>
    public bool IsRunning => State == "RUNNING" && Tasks.Count > 0 && Tasks.All(t => t.State == "RUNNING");

    /// <summary>Gets a value indicating whether at least one task, or the connector itself, failed.</summary>
    /// <value><see langword="true"/> when the connector or any task is <c>FAILED</c>.</value>
    public bool HasFailed => State == "FAILED" || Tasks.Any(t => t.State == "FAILED");

    /// <summary>Gets which worker runs each task, as <c>task → worker id</c>.</summary>
    /// <returns>The assignment, one entry per task.</returns>
    public IReadOnlyDictionary<int, string?> Assignment() => Tasks.ToDictionary(t => t.Task, t => t.WorkerId);
}
