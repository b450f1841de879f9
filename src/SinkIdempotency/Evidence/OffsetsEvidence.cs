namespace SinkIdempotency.Evidence;

/// <summary>Records the end and committed offsets of every partition of the source topic.</summary>
public sealed record OffsetsEvidence : EvidenceEvent
{
    /// <summary>Gets why the offsets were read (for example <c>before-fault</c> or <c>sample</c>).</summary>
    /// <value>A short label.</value>
    public required string Label { get; init; }

    /// <summary>Gets the offsets per partition, ordered by partition.</summary>
    /// <value>One entry per partition.</value>
    public required IReadOnlyList<PartitionOffsets> Partitions { get; init; }
}
