using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <content>Which member of a consumer group owns which partition.</content>
public sealed partial class KafkaProbe
{
    /// <summary>Reads the current assignment of a consumer group: the client id of the member that owns each partition.</summary>
    /// <param name="groupId">The group id (<c>connect-&lt;connector&gt;</c> for sinks).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Partition → owning member's client id (Connect names a sink task's consumer <c>connector-consumer-&lt;connector&gt;-&lt;task&gt;</c>); empty while the group has no stable assignment.</returns>
    public async Task<IReadOnlyDictionary<SourcePartition, string>> GetPartitionOwnersAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        try
        {
            var described = await _admin.Value.DescribeConsumerGroupsAsync([groupId], new DescribeConsumerGroupsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            var owners = new Dictionary<SourcePartition, string>();
            foreach (var member in described.ConsumerGroupDescriptions.SelectMany(g => g.Members))
            {
                foreach (var partition in member.Assignment?.TopicPartitions ?? [])
                {
                    owners[new SourcePartition(partition.Topic, partition.Partition.Value)] = member.ClientId;
                }
            }

            return owners;
        }
        catch (DescribeConsumerGroupsException ex)
        {
            throw new InvalidOperationException($"Describing consumer group '{groupId}' on {_endpoint} failed: {ex.Message}", ex);
        }
    }
}
