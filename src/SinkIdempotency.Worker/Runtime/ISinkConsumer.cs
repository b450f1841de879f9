using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>
/// The consumer operations a sink task runtime needs (the subset of Kafka's consumer that <c>WorkerSinkTask</c> uses).
/// Not thread-safe except <see cref="CommitAsync"/>; all other calls come from the task thread.
/// </summary>
internal interface ISinkConsumer : IDisposable
{
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    void Subscribe(IReadOnlyList<string> topics, string? topicsRegex, IConsumerRebalanceListener listener);

    /// <summary>Polls up to <paramref name="maxRecords"/> records, returning early when records arrive or <paramref name="interrupted"/> turns true.</summary>
    IReadOnlyList<ConsumedRecord> Poll(TimeSpan timeout, int maxRecords, Func<bool> interrupted);

    /// <summary>Returns the offset the next fetch of an assigned partition starts at (committed offset, else the reset position).</summary>
    long Position(TopicPartition partition);

    void Seek(TopicPartition partition, long offset);

    void Pause(IEnumerable<TopicPartition> partitions);

    void Resume(IEnumerable<TopicPartition> partitions);

    void CommitSync(IReadOnlyDictionary<TopicPartition, long> offsets);

    Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets);

    /// <summary>Leaves the group and releases the client; rebalance callbacks may run during the close.</summary>
    void Close();
}
