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

    /// <summary>Moves a partition's log start offset forward, as Kafka's DeleteRecords would.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partition">The partition index.</param>
    /// <param name="offset">The new log start offset (capped at the end offset).</param>
    /// <exception cref="ArgumentException">The topic or partition does not exist.</exception>
    public void DeleteRecordsBefore(string topic, int partition, long offset) => _state.Topics.DeleteRecords(GetLog(topic, partition), offset);

    /// <summary>Sets or removes one config of a topic, as IncrementalAlterConfigs would (SET, or DELETE when <paramref name="value"/> is null).</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="name">The config name (e.g. <c>retention.ms</c>).</param>
    /// <param name="value">The value, or null to return to the broker's default.</param>
    /// <exception cref="ArgumentException">The topic does not exist, or the config name or value is invalid; the message says which.</exception>
    public void SetTopicConfig(string topic, string name, string? value)
    {
        var operation = new ConfigOperation(name, value is null ? ConfigOperationType.Delete : ConfigOperationType.Set, value);
        var (error, message) = _state.Topics.AlterConfigs(topic, [operation], replaceAll: false, validateOnly: false);
        if (error != ErrorCode.None)
        {
            throw new ArgumentException($"Cannot set '{name}' on topic '{topic}': {message} ({error}).", error == ErrorCode.UnknownTopicOrPartition ? nameof(topic) : nameof(name));
        }
    }

    /// <summary>
    /// Applies retention now, as Kafka's periodic check does: for topics whose <c>cleanup.policy</c> contains
    /// <c>delete</c>, deletes the oldest whole log segments past <c>retention.bytes</c>, then those whose newest
    /// record is older than <c>retention.ms</c> (measured on the broker's <see cref="KafkaBrokerOptions.TimeProvider"/>).
    /// </summary>
    /// <returns>What was deleted, one entry per partition and rule; empty when nothing was due.</returns>
    /// <remarks>
    /// Segments roll at <c>segment.bytes</c> and <c>segment.ms</c> (defaults 1 GiB and 7 days), so with the defaults a
    /// partition's data goes all at once, when its newest record expires; set smaller segments on the topic (or
    /// <see cref="KafkaBrokerOptions.DefaultSegmentBytes"/>) for deletion that follows the limit more closely.
    /// </remarks>
    public IReadOnlyList<BrokerLogDeletion> ApplyRetention() => _state.Topics.ApplyRetention();

    /// <summary>Returns every deletion since the broker started (retention passes and DeleteRecords), oldest first.</summary>
    /// <returns>The deletions.</returns>
    public IReadOnlyList<BrokerLogDeletion> GetLogDeletions() => _state.Topics.Deletions;

    private static BrokerTopic Snapshot(Topic topic) => new(
        topic.Name,
        [.. topic.Partitions.Select(p => new BrokerPartition(topic.Name, p.Partition, p.LogStartOffset, p.HighWatermark, p.BatchCount, p.SizeInBytes) { SegmentCount = p.SegmentCount })],
        topic.Configs);

    private PartitionLog GetLog(string topic, int partition) =>
        _state.Topics.TryGet(topic, out var t) && t.GetPartition(partition) is { } log
            ? log
            : throw new ArgumentException($"Topic '{topic}' partition {partition} does not exist on this broker.", nameof(topic));
}
