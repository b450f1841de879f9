namespace SinkIdempotency.Connect;

/// <summary>Holds a sink connector's committed offset for one topic partition: the next offset it will consume.</summary>
/// <param name="Topic">Gets the topic.</param>
/// <param name="Partition">Gets the partition.</param>
/// <param name="Offset">Gets the offset, or <see langword="null"/> to reset the partition (alter requests only).</param>
public sealed record SinkPartitionOffset(string Topic, int Partition, long? Offset);
