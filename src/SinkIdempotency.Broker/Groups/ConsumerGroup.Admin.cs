using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

internal sealed partial class ConsumerGroup
{
    public DescribedGroup Describe()
    {
        lock (_sync)
        {
            // Kafka reports the protocol, member metadata and assignments only for a Stable group.
            var stable = State == BrokerGroupState.Stable;
            var members = _members
                .Select(m => new DescribedGroupMember(
                    m.MemberId,
                    m.GroupInstanceId,
                    m.ClientId,
                    m.ClientHost,
                    stable ? m.MetadataFor(ProtocolName!) ?? [] : [],
                    stable ? m.Assignment : []))
                .ToList();
            return new DescribedGroup(
                ErrorCode.None,
                GroupId,
                StateName(State),
                ProtocolType,
                stable ? ProtocolName ?? string.Empty : string.Empty,
                members,
                DescribeGroupsResponse.AuthorizedOperationsOmitted);
        }
    }

    public ListedGroup? ListEntry()
    {
        lock (_sync)
        {
            return State == BrokerGroupState.Dead ? null : new ListedGroup(GroupId, ProtocolType);
        }
    }

    /// <summary>Marks the group Dead if it has no members (<c>ClassicGroup.validateDeleteGroup</c>).</summary>
    public ErrorCode TryDelete()
    {
        lock (_sync)
        {
            switch (State)
            {
                case BrokerGroupState.Dead:
                    return ErrorCode.GroupIdNotFound;
                case BrokerGroupState.Empty:
                    State = BrokerGroupState.Dead;
                    _offsets.Clear();
                    CancelJoinTimer();
                    CancelSyncTimer();
                    foreach (var timer in _pendingMembers.Values)
                    {
                        timer.Dispose();
                    }

                    _pendingMembers.Clear();
                    return ErrorCode.None;
                default:
                    return ErrorCode.NonEmptyGroup;
            }
        }
    }

    public OffsetDeleteResponse DeleteOffsets(OffsetDeleteRequest request)
    {
        lock (_sync)
        {
            if (State == BrokerGroupState.Dead)
            {
                return new OffsetDeleteResponse(ErrorCode.GroupIdNotFound, []);
            }

            if (_members.Count > 0 && ProtocolType != "consumer")
            {
                return new OffsetDeleteResponse(ErrorCode.NonEmptyGroup, []);
            }

            var subscribed = SubscribedTopics();
            var topics = new List<OffsetDeleteResponseTopic>(request.Topics.Count);
            foreach (var topic in request.Topics)
            {
                var isSubscribed = subscribed.Contains(topic.Name);
                var partitions = new List<OffsetDeleteResponsePartition>(topic.Partitions.Count);
                foreach (var partition in topic.Partitions)
                {
                    if (isSubscribed)
                    {
                        partitions.Add(new OffsetDeleteResponsePartition(partition, ErrorCode.GroupSubscribedToTopic));
                    }
                    else
                    {
                        _offsets.Remove((topic.Name, partition));
                        partitions.Add(new OffsetDeleteResponsePartition(partition, ErrorCode.None));
                    }
                }

                topics.Add(new OffsetDeleteResponseTopic(topic.Name, partitions));
            }

            return new OffsetDeleteResponse(ErrorCode.None, topics);
        }
    }

    public static string StateName(BrokerGroupState state) => state switch
    {
        BrokerGroupState.Empty => "Empty",
        BrokerGroupState.PreparingRebalance => "PreparingRebalance",
        BrokerGroupState.CompletingRebalance => "CompletingRebalance",
        BrokerGroupState.Stable => "Stable",
        _ => "Dead",
    };

    /// <summary>Reads the topic list every member subscribed to from its ConsumerProtocolSubscription bytes.</summary>
    private HashSet<string> SubscribedTopics()
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (ProtocolType != "consumer")
        {
            return topics;
        }

        foreach (var member in _members)
        {
            var metadata = (ProtocolName is null ? null : member.MetadataFor(ProtocolName)) ?? member.Protocols.FirstOrDefault()?.Metadata;
            if (metadata is null || metadata.Length < 6)
            {
                continue;
            }

            try
            {
                var reader = new KafkaReader(metadata);
                _ = reader.ReadInt16();
                var count = reader.ReadArrayLength(2);
                for (var i = 0; i < count; i++)
                {
                    topics.Add(reader.ReadString());
                }
            }
            catch (ProtocolException)
            {
                // Opaque bytes from a non-standard client: treat as no subscription information.
            }
        }

        return topics;
    }
}
