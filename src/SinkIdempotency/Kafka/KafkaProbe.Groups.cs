using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>The members of a consumer group and which partitions each owns.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Reads the current assignment of a consumer group: the client id of the member that owns each partition.</summary>
    /// <param name="groupId">The group id (<c>connect-&lt;connector&gt;</c> for sinks).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → owning member's client id (Connect names a sink task's consumer <c>connector-consumer-&lt;connector&gt;-&lt;task&gt;</c>); empty while the group has no stable assignment.</returns>
    public async Task<IReadOnlyDictionary<SourcePartition, string>> GetPartitionOwnersAsync(string groupId, CancellationToken cancellationToken = default)
    {
        var owners = new Dictionary<SourcePartition, string>();
        foreach (var member in await DescribeGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var partition in member.Partitions)
            {
                owners[partition] = member.ClientId;
            }
        }

        return owners;
    }

    /// <summary>Reads the members of a consumer group, each with its member id and assigned partitions.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The members, in the coordinator's order; empty when the group has none (or does not exist).</returns>
    public async Task<IReadOnlyList<ConsumerGroupMember>> DescribeGroupMembersAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        try
        {
            var described = await _admin.Value.DescribeConsumerGroupsAsync([groupId], new DescribeConsumerGroupsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return
            [
                .. described.ConsumerGroupDescriptions.SelectMany(g => g.Members).Select(m => new ConsumerGroupMember(
                    m.ConsumerId,
                    m.ClientId,
                    m.Host,
                    [.. (m.Assignment?.TopicPartitions ?? []).Select(p => new SourcePartition(p.Topic, p.Partition.Value))])),
            ];
        }
        catch (DescribeConsumerGroupsException ex)
        {
            throw new InvalidOperationException($"Describing consumer group '{groupId}' on {_endpoint} failed: {ex.Message}", ex);
        }
    }
}
