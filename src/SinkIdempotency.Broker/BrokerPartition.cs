namespace SinkIdempotency.Broker;

/// <summary>A read-only snapshot of one partition of an embedded broker.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Index">The partition index.</param>
/// <param name="LogStartOffset">The first offset still in the log.</param>
/// <param name="HighWatermark">The end offset: the offset the next record will get.</param>
/// <param name="BatchCount">The number of record batches stored.</param>
/// <param name="SizeInBytes">The bytes stored (record batches as produced).</param>
public sealed record BrokerPartition(string Topic, int Index, long LogStartOffset, long HighWatermark, int BatchCount, long SizeInBytes)
{
    /// <summary>Gets the number of log segments the partition's data is split into (retention deletes whole segments).</summary>
    public int SegmentCount { get; init; }
}
