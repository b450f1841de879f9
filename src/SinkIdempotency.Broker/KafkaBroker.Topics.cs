using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker;

/// <summary>Topic inspection and creation helpers for tests.</summary>
public sealed partial class KafkaBroker
{
    /// <summary>Gets the names of all topics, in ordinal order.</summary>
    public IReadOnlyList<string> TopicNames => [.. _state.Topics.Snapshot().Select(t => t.Name)];

    /// <summary>Returns a snapshot of all topics with their partitions' offsets.</summary>
    /// <returns>The topics, in ordinal name order.</returns>
    public IReadOnlyList<BrokerTopic> GetTopics() => [.. _state.Topics.Snapshot().Select(Snapshot)];

    /// <summary>Returns a snapshot of one topic, or null when it does not exist.</summary>
    /// <param name="name">The topic name.</param>
    /// <returns>The topic, or null.</returns>
    public BrokerTopic? GetTopic(string name) => _state.Topics.TryGet(name, out var topic) ? Snapshot(topic) : null;

    /// <summary>Returns a partition's end offset (high watermark): the offset the next record will get.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partition">The partition index.</param>
    /// <returns>The end offset.</returns>
    /// <exception cref="ArgumentException">The topic or partition does not exist.</exception>
    public long GetEndOffset(string topic, int partition) => GetLog(topic, partition).HighWatermark;

    /// <summary>Creates a topic as a CreateTopics request would.</summary>
    /// <param name="name">The topic name (Kafka's rules: <c>[a-zA-Z0-9._-]</c>, at most 249 characters).</param>
    /// <param name="partitions">The partition count; -1 uses <see cref="KafkaBrokerOptions.DefaultPartitions"/>.</param>
    /// <param name="configs">Topic configs (Kafka names such as <c>max.message.bytes</c>); null for none.</param>
    /// <exception cref="InvalidOperationException">The broker refused the topic; the message says why.</exception>
    public void CreateTopic(string name, int partitions = -1, IReadOnlyDictionary<string, string?>? configs = null)
    {
        var (error, message) = _state.Topics.Create(name, partitions, -1, configs ?? new Dictionary<string, string?>(), validateOnly: false);
        if (error != ErrorCode.None)
        {
            throw new InvalidOperationException($"Cannot create topic '{name}': {message} ({error}).");
        }
    }

    /// <summary>Moves a partition's log start offset forward, as Kafka's DeleteRecords or retention would.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partition">The partition index.</param>
    /// <param name="offset">The new log start offset (capped at the end offset).</param>
    /// <exception cref="ArgumentException">The topic or partition does not exist.</exception>
    public void DeleteRecordsBefore(string topic, int partition, long offset) => GetLog(topic, partition).AdvanceLogStart(offset);

    private static BrokerTopic Snapshot(Topic topic) => new(
        topic.Name,
        [.. topic.Partitions.Select(p => new BrokerPartition(topic.Name, p.Partition, p.LogStartOffset, p.HighWatermark, p.BatchCount, p.SizeInBytes))],
        topic.Configs);

    private PartitionLog GetLog(string topic, int partition) =>
        _state.Topics.TryGet(topic, out var t) && t.GetPartition(partition) is { } log
            ? log
            : throw new ArgumentException($"Topic '{topic}' partition {partition} does not exist on this broker.", nameof(topic));
}
