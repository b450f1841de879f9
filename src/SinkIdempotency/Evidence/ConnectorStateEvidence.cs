namespace SinkIdempotency.Evidence;

/// <summary>Records a change of the connector's or its tasks' states, as the status API reported it.</summary>
public sealed record ConnectorStateEvidence : EvidenceEvent
{
    /// <summary>Gets the connector state.</summary>
    /// <value>A Connect state name.</value>
    public required string State { get; init; }

    /// <summary>Gets the task states.</summary>
    /// <value>One entry per task.</value>
    public required IReadOnlyList<TaskStateEvidence> Tasks { get; init; }
}
