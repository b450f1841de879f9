using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>A raw record as the consumer returned it, before conversion.</summary>
internal sealed record ConsumedRecord(
    string Topic,
    int Partition,
    long Offset,
    byte[]? Key,
    byte[]? Value,
    DateTimeOffset? Timestamp,
    TimestampType TimestampType,
    IReadOnlyList<SinkRecordHeader> Headers)
{
    public TopicPartition TopicPartition => new(Topic, Partition);
}
