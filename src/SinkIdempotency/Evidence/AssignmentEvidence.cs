namespace SinkIdempotency.Evidence;

/// <summary>Records that tasks moved between workers.</summary>
public sealed record AssignmentEvidence : EvidenceEvent
{
    /// <summary>Gets the worker of each task before the change (<c>"0"</c> → worker id).</summary>
    /// <value>Empty for the first assignment.</value>
    public required IReadOnlyDictionary<string, string?> Before { get; init; }

    /// <summary>Gets the worker of each task after the change.</summary>
    /// <value>One entry per task.</value>
    public required IReadOnlyDictionary<string, string?> After { get; init; }
}
