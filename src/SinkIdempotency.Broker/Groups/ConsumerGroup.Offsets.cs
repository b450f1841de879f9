using System.Text;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

internal sealed partial class ConsumerGroup
{
    public OffsetCommitResponse Commit(OffsetCommitRequest request, Func<string, int, bool> partitionExists)
    {
        lock (_sync)
        {
            var error = ValidateOffsetCommit(request);
            if (error != ErrorCode.None)
            {
                return OffsetCommitResponse.AllFailed(request, error);
            }

            var now = Time.GetUtcNow();
            var topics = new List<OffsetCommitResponseTopic>(request.Topics.Count);
            foreach (var topic in request.Topics)
            {
                var partitions = new List<OffsetCommitResponsePartition>(topic.Partitions.Count);
                foreach (var partition in topic.Partitions)
                {
                    ErrorCode result;
                    if (!partitionExists(topic.Name, partition.PartitionIndex))
                    {
                        result = ErrorCode.UnknownTopicOrPartition;
                    }
                    else if (partition.CommittedMetadata is not null
                        && Encoding.UTF8.GetByteCount(partition.CommittedMetadata) > _options.MaxCommitMetadataBytes)
                    {
                        result = ErrorCode.OffsetMetadataTooLarge;
                    }
                    else
                    {
                        _offsets[(topic.Name, partition.PartitionIndex)] = new CommittedOffset(
                            topic.Name, partition.PartitionIndex, partition.CommittedOffset, partition.CommittedLeaderEpoch, partition.CommittedMetadata, now);
                        result = ErrorCode.None;
                    }

                    partitions.Add(new OffsetCommitResponsePartition(partition.PartitionIndex, result));
                }

                topics.Add(new OffsetCommitResponseTopic(topic.Name, partitions));
            }

            return new OffsetCommitResponse(topics);
        }
    }

    public OffsetFetchResponse FetchOffsets(OffsetFetchRequest request)
    {
        lock (_sync)
        {
            if (request.Topics is null)
            {
                var all = _offsets.Values
                    .GroupBy(o => o.Topic, StringComparer.Ordinal)
                    .Select(g => new OffsetFetchResponseTopic(g.Key, g.OrderBy(o => o.Partition).Select(ToFetched).ToList()))
                    .ToList();
                return new OffsetFetchResponse(all, ErrorCode.None);
            }

            var topics = request.Topics
                .Select(t => new OffsetFetchResponseTopic(
                    t.Name,
                    t.PartitionIndexes
                        .Select(p => _offsets.TryGetValue((t.Name, p), out var committed) ? ToFetched(committed) : NoOffset(p))
                        .ToList()))
                .ToList();
            return new OffsetFetchResponse(topics, ErrorCode.None);
        }
    }

    public IReadOnlyList<CommittedOffset> CommittedOffsets()
    {
        lock (_sync)
        {
            return _offsets.Values.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition).ToList();
        }
    }

    /// <summary>Drops the offsets of a deleted topic.</summary>
    public void RemoveTopic(string topic)
    {
        lock (_sync)
        {
            foreach (var key in _offsets.Keys.Where(k => k.Topic == topic).ToList())
            {
                _offsets.Remove(key);
            }
        }
    }

    public static OffsetFetchResponsePartition NoOffset(int partition) => new(partition, -1, -1, string.Empty, ErrorCode.None);

    private static OffsetFetchResponsePartition ToFetched(CommittedOffset committed) =>
        new(committed.Partition, committed.Offset, committed.LeaderEpoch, committed.Metadata ?? string.Empty, ErrorCode.None);

    /// <summary>Applies Kafka's classic-group commit rules (<c>ClassicGroup.validateOffsetCommit</c>).</summary>
    private ErrorCode ValidateOffsetCommit(OffsetCommitRequest request)
    {
        if (State == BrokerGroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        if (request.GenerationId < 0 && State == BrokerGroupState.Empty)
        {
            // An admin commit (AlterConsumerGroupOffsets) or a simple consumer: allowed only while
            // the group has no members.
            return ErrorCode.None;
        }

        if (request.GenerationId >= 0 || request.MemberId.Length > 0 || request.GroupInstanceId is not null)
        {
            var error = ValidateMember(request.MemberId, request.GroupInstanceId, request.GenerationId);
            if (error != ErrorCode.None)
            {
                return error;
            }
        }
        else
        {
            return ErrorCode.UnknownMemberId;
        }

        return State == BrokerGroupState.CompletingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }
}
