namespace SinkIdempotency.Assessment;

/// <summary>Holds a topic's retention as its cluster reports it (DescribeConfigs): <c>retention.ms</c>, <c>retention.bytes</c> and the partition count.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partitions">The number of partitions; <c>retention.bytes</c> applies to each of them.</param>
/// <param name="RetentionMs">The <c>retention.ms</c> value; -1 keeps records forever.</param>
/// <param name="RetentionBytes">The <c>retention.bytes</c> value per partition; -1 sets no size limit.</param>
public sealed record TopicRetention(string Topic, int Partitions, long RetentionMs, long RetentionBytes)
{
    /// <summary>Gets the time the topic keeps a record, or <see langword="null"/> for forever.</summary>
    public TimeSpan? RetentionTime => RetentionMs < 0 ? null : TimeSpan.FromMilliseconds(RetentionMs);

    /// <summary>Gets the bytes the whole topic keeps before the oldest segments go, or <see langword="null"/> for no limit.</summary>
    public double? RetainedBytesLimit => RetentionBytes < 0 ? null : (double)RetentionBytes * Partitions;
}
