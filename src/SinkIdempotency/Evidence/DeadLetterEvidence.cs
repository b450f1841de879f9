using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Evidence;

/// <summary>Records what the dead-letter topic held.</summary>
public sealed record DeadLetterEvidence : EvidenceEvent
{
    /// <summary>Gets the dead-letter topic.</summary>
    /// <value>The topic name.</value>
    public required string Topic { get; init; }

    /// <summary>Gets the number of records in the topic.</summary>
    /// <value>The full count.</value>
    public required int Count { get; init; }

    /// <summary>Gets up to the first 20 records with the source position and error their headers name.</summary>
    /// <value>At most 20 records.</value>
    public required IReadOnlyList<DeadLetterRecord> Records { get; init; }
}
