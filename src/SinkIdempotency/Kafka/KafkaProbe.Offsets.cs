using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>End offsets of topics and committed offsets of sink connectors' consumer groups.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Returns Kafka Connect's consumer group id for a sink connector, <c>connect-&lt;name&gt;</c>.</summary>
    /// <param name="connectorName">The connector name.</param>
    /// <returns>The group id (unless the connector overrides <c>consumer.override.group.id</c>).</returns>
    public static string ConnectorGroupId(string connectorName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectorName);
        return "connect-" + connectorName;
    }

    /// <summary>Reads the end offset (high watermark: the offset the next record will get) of every partition of a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → end offset.</returns>
    public async Task<IReadOnlyDictionary<SourcePartition, long>> GetEndOffsetsAsync(string topic, CancellationToken cancellationToken = default)
    {
        var partitions = await GetPartitionsAsync(topic, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await _admin.Value.ListOffsetsAsync(
                    partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, new Partition(p)), OffsetSpec = OffsetSpec.Latest() }),
                    new ListOffsetsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return result.ResultInfos.ToDictionary(
                r => new SourcePartition(r.TopicPartitionOffsetError.Topic, r.TopicPartitionOffsetError.Partition.Value),
                r => r.TopicPartitionOffsetError.Offset.Value);
        }
        catch (ListOffsetsException ex)
        {
            var failed = ex.Result.ResultInfos.First(r => r.TopicPartitionOffsetError.Error.IsError).TopicPartitionOffsetError;
            throw new InvalidOperationException($"Reading end offsets of '{topic}' on {_endpoint} failed at partition {failed.Partition.Value}: {failed.Error.Code} {failed.Error.Reason}", ex);
        }
    }

    /// <summary>Reads the offsets a sink connector has committed (group <c>connect-&lt;name&gt;</c>): per partition, the next offset it will consume.</summary>
    /// <param name="connectorName">The connector name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → committed offset; partitions without a commit are absent, and an unknown group gives an empty map.</returns>
    public Task<IReadOnlyDictionary<SourcePartition, long>> GetConnectorCommittedOffsetsAsync(string connectorName, CancellationToken cancellationToken = default) =>
        GetCommittedOffsetsAsync(ConnectorGroupId(connectorName), cancellationToken);

    /// <summary>Reads the committed offsets of a consumer group (admin <c>ListConsumerGroupOffsets</c>).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → committed offset; partitions without a commit are absent, and an unknown group gives an empty map.</returns>
    public Task<IReadOnlyDictionary<SourcePartition, long>> GetCommittedOffsetsAsync(string groupId, CancellationToken cancellationToken = default) =>
        ReadCommittedAsync(groupId, null, cancellationToken);

    /// <summary>Reads the committed offsets of a consumer group on the named partitions of one topic.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="partitions">The partitions to read.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → committed offset; partitions without a commit are absent, and an unknown group gives an empty map.</returns>
    /// <remarks>
    /// Names each partition in the OffsetFetch request, the form every Kafka-compatible broker answers; the form that asks
    /// for all of a group's partitions at once is not served everywhere (librdkafka's mock cluster answers it with nothing).
    /// </remarks>
    public Task<IReadOnlyDictionary<SourcePartition, long>> GetCommittedOffsetsAsync(string groupId, string topic, IEnumerable<int> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(partitions);
        return ReadCommittedAsync(groupId, [.. partitions.Select(p => new TopicPartition(topic, new Partition(p)))], cancellationToken);
    }

    private async Task<IReadOnlyDictionary<SourcePartition, long>> ReadCommittedAsync(string groupId, List<TopicPartition>? partitions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        try
        {
            var results = await _admin.Value.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(groupId, partitions)],
                    new ListConsumerGroupOffsetsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return results.Single().Partitions
                .Where(p => !p.Error.IsError && p.Offset.Value >= 0)
                .ToDictionary(p => new SourcePartition(p.Topic, p.Partition.Value), p => p.Offset.Value);
        }
        catch (ListConsumerGroupOffsetsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.GroupIdNotFound))
        {
            return new Dictionary<SourcePartition, long>();
        }
        catch (ListConsumerGroupOffsetsException ex)
        {
            var error = ex.Results.Select(r => r.Error).FirstOrDefault(e => e.IsError) ?? ex.Error;
            throw new InvalidOperationException($"Reading committed offsets of group '{groupId}' on {_endpoint} failed: {error.Code} {error.Reason}", ex);
        }
    }
}
