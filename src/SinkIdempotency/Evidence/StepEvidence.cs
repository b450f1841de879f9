namespace SinkIdempotency.Evidence;

/// <summary>Marks the start or end of a scenario step.</summary>
public sealed record StepEvidence : EvidenceEvent
{
    /// <summary>Gets what happened (<c>started</c>, <c>finished</c>, <c>failed</c>, or a short note).</summary>
    /// <value>A short phrase.</value>
    public required string Message { get; init; }
}
