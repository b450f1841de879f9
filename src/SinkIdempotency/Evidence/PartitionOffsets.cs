namespace SinkIdempotency.Evidence;

/// <summary>Holds the end offset and the committed offset of one partition at one moment.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="End">The log-end offset.</param>
/// <param name="Committed">The sink group's committed offset, or <see langword="null"/> when nothing is committed.</param>
public sealed record PartitionOffsets(string Topic, int Partition, long End, long? Committed)
{
    /// <summary>Gets the number of records not yet committed (the consumer lag).</summary>
    /// <value><see cref="End"/> minus <see cref="Committed"/> (zero when nothing is committed counts from zero).</value>
    public long Lag => End - (Committed ?? 0);
}
