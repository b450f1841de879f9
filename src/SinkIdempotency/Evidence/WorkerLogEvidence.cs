namespace SinkIdempotency.Evidence;

/// <summary>Records the last log lines of a worker.</summary>
public sealed record WorkerLogEvidence : EvidenceEvent
{
    /// <summary>Gets the worker.</summary>
    /// <value>The environment's worker id.</value>
    public required string WorkerId { get; init; }

    /// <summary>Gets the lines, newest last.</summary>
    /// <value>At most the runner's configured number of lines.</value>
    public required IReadOnlyList<string> Lines { get; init; }
}
