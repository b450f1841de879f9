namespace SinkIdempotency.Workload;

/// <summary>Describes one record the harness produced and the broker acknowledged.</summary>
/// <param name="EventId">The unique event id carried in the record's value; the target stores it with the row.</param>
/// <param name="Topic">The topic the record was written to.</param>
/// <param name="Partition">The partition the delivery report named.</param>
/// <param name="Offset">The offset the delivery report named.</param>
/// <param name="Key">The business key, or <see langword="null"/> for records produced without one.</param>
/// <param name="Version">The record's version for its key (higher is newer), or <see langword="null"/> when unversioned.</param>
/// <param name="ValueHash">The <see cref="Workload.ValueHash"/> of the content the target is expected to store for this record.</param>
/// <param name="ProduceTime">When the broker acknowledged the record.</param>
/// <remarks>
/// Only acknowledged records belong in a ledger: a record without a delivery report has no offset, and the
/// reconciler cannot say whether a missing row is a loss or a produce that never happened.
/// </remarks>
public sealed record LedgerEntry(
    string EventId,
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    long? Version,
    ulong ValueHash,
    DateTimeOffset ProduceTime)
{
    /// <summary>Gets a value indicating whether the harness deliberately produced this record malformed (a poison record).</summary>
    /// <value><see langword="false"/>: an ordinary record.</value>
    /// <remarks>
    /// A poison record cannot be converted by the connector; Kafka Connect either stops the task, or skips the record and
    /// writes it to the dead-letter queue. When it is skipped without a dead-letter record the reconciler reports it as
    /// <c>silently-dropped</c> rather than <c>lost</c>.
    /// </remarks>
    public bool Poison { get; init; }

    /// <summary>Gets the partition that holds the record.</summary>
    /// <value>The topic and partition of the record.</value>
    public SourcePartition SourcePartition => new(Topic, Partition);

    /// <summary>Gets the record's position in the source topic.</summary>
    /// <value>The topic, partition and offset of the record.</value>
    public SourcePosition Position => new(Topic, Partition, Offset);
}
