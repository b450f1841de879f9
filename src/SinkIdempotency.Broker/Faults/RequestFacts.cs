using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Parses the facts fault predicates and observers need from a request body, without handling it.</summary>
internal static class RequestFacts
{
    public static BrokerRequest Parse(ApiKey key, short version, int correlationId, string? clientId, long connectionId, ReadOnlySpan<byte> body)
    {
        var facts = new BrokerRequest(key, version, correlationId, clientId, connectionId, null, null, null, [], []);
        try
        {
            var reader = new KafkaReader(body);
            return key switch
            {
                ApiKey.FindCoordinator => FromFindCoordinator(facts, FindCoordinatorRequest.Read(ref reader, version)),
                ApiKey.JoinGroup => FromJoinGroup(facts, JoinGroupRequest.Read(ref reader, version)),
                ApiKey.SyncGroup => FromSyncGroup(facts, SyncGroupRequest.Read(ref reader, version)),
                ApiKey.Heartbeat => FromHeartbeat(facts, HeartbeatRequest.Read(ref reader, version)),
                ApiKey.LeaveGroup => FromLeaveGroup(facts, LeaveGroupRequest.Read(ref reader, version)),
                ApiKey.OffsetCommit => FromOffsetCommit(facts, OffsetCommitRequest.Read(ref reader, version)),
                ApiKey.OffsetFetch => FromOffsetFetch(facts, OffsetFetchRequest.Read(ref reader, version)),
                ApiKey.OffsetDelete => FromOffsetDelete(facts, OffsetDeleteRequest.Read(ref reader, version)),
                ApiKey.DescribeGroups => facts with { GroupId = DescribeGroupsRequest.Read(ref reader, version).Groups.FirstOrDefault() },
                ApiKey.DeleteGroups => facts with { GroupId = DeleteGroupsRequest.Read(ref reader, version).GroupNames.FirstOrDefault() },
                ApiKey.Produce => facts with { Topics = ProduceTopics(ref reader, version) },
                ApiKey.Fetch => facts with { Topics = FetchTopics(ref reader, version) },
                ApiKey.ListOffsets => facts with { Topics = ListOffsetsTopics(ref reader, version) },
                ApiKey.Metadata => facts with { Topics = MetadataTopics(ref reader, version) },
                ApiKey.DeleteTopics => facts with { Topics = StringArray(ref reader) },
                ApiKey.CreateTopics => facts with { Topics = CreateTopicsFirstName(ref reader) },
                _ => facts,
            };
        }
        catch (ProtocolException)
        {
            // A malformed body: the handler will close the connection; the facts stay header-only.
            return facts;
        }
    }

    private static BrokerRequest FromFindCoordinator(BrokerRequest facts, FindCoordinatorRequest request) =>
        request.KeyType == 0 ? facts with { GroupId = request.Key } : facts;

    private static BrokerRequest FromJoinGroup(BrokerRequest facts, JoinGroupRequest request) =>
        facts with { GroupId = request.GroupId, MemberId = request.MemberId };

    private static BrokerRequest FromSyncGroup(BrokerRequest facts, SyncGroupRequest request) =>
        facts with { GroupId = request.GroupId, MemberId = request.MemberId, GenerationId = request.GenerationId };

    private static BrokerRequest FromHeartbeat(BrokerRequest facts, HeartbeatRequest request) =>
        facts with { GroupId = request.GroupId, MemberId = request.MemberId, GenerationId = request.GenerationId };

    private static BrokerRequest FromLeaveGroup(BrokerRequest facts, LeaveGroupRequest request) =>
        facts with { GroupId = request.GroupId, MemberId = request.MemberId };

    private static BrokerRequest FromOffsetCommit(BrokerRequest facts, OffsetCommitRequest request) =>
        facts with
        {
            GroupId = request.GroupId,
            MemberId = request.MemberId,
            GenerationId = request.GenerationId,
            Topics = request.Topics.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList(),
            Offsets = request.Topics
                .SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedMetadata, null)))
                .ToList(),
        };

    private static BrokerRequest FromOffsetFetch(BrokerRequest facts, OffsetFetchRequest request) =>
        facts with
        {
            GroupId = request.GroupId,
            Topics = (request.Topics ?? []).Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList(),
            Offsets = (request.Topics ?? [])
                .SelectMany(t => t.PartitionIndexes.Select(p => new BrokerPartitionOffset(t.Name, p, -1, null, null)))
                .ToList(),
        };

    private static BrokerRequest FromOffsetDelete(BrokerRequest facts, OffsetDeleteRequest request) =>
        facts with
        {
            GroupId = request.GroupId,
            Topics = request.Topics.Select(t => t.Name).ToList(),
            Offsets = request.Topics.SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p, -1, null, null))).ToList(),
        };

    private static List<string> ProduceTopics(ref KafkaReader reader, short version)
    {
        if (version >= 3)
        {
            _ = reader.ReadNullableString();
        }

        _ = reader.ReadInt16();
        _ = reader.ReadInt32();
        var topics = new List<string>();
        var count = reader.ReadArrayLength(6);
        for (var t = 0; t < count; t++)
        {
            topics.Add(reader.ReadString());
            var partitions = reader.ReadArrayLength(8);
            for (var p = 0; p < partitions; p++)
            {
                _ = reader.ReadInt32();
                _ = reader.ReadBytes(out _);
            }
        }

        return topics;
    }

    private static List<string> FetchTopics(ref KafkaReader reader, short version)
    {
        _ = reader.ReadInt32();
        _ = reader.ReadInt32();
        _ = reader.ReadInt32();
        if (version >= 3)
        {
            _ = reader.ReadInt32();
        }

        if (version >= 4)
        {
            _ = reader.ReadInt8();
        }

        if (version >= 7)
        {
            _ = reader.ReadInt32();
            _ = reader.ReadInt32();
        }

        var topics = new List<string>();
        var count = reader.ReadArrayLength(6);
        for (var t = 0; t < count; t++)
        {
            topics.Add(reader.ReadString());
            var partitions = reader.ReadArrayLength(16);
            var partitionSize = 4 + (version >= 9 ? 4 : 0) + 8 + (version >= 5 ? 8 : 0) + 4;
            for (var p = 0; p < partitions; p++)
            {
                _ = reader.ReadRaw(partitionSize);
            }
        }

        return topics;
    }

    private static List<string> ListOffsetsTopics(ref KafkaReader reader, short version)
    {
        _ = reader.ReadInt32();
        if (version >= 2)
        {
            _ = reader.ReadInt8();
        }

        var topics = new List<string>();
        var count = reader.ReadArrayLength(6);
        for (var t = 0; t < count; t++)
        {
            topics.Add(reader.ReadString());
            var partitions = reader.ReadArrayLength(12);
            var partitionSize = 4 + (version >= 4 ? 4 : 0) + 8 + (version == 0 ? 4 : 0);
            for (var p = 0; p < partitions; p++)
            {
                _ = reader.ReadRaw(partitionSize);
            }
        }

        return topics;
    }

    private static List<string> MetadataTopics(ref KafkaReader reader, short version) =>
        version <= 8 ? StringArray(ref reader) : [];

    private static List<string> StringArray(ref KafkaReader reader)
    {
        var list = new List<string>();
        var count = reader.ReadArrayLength(2);
        for (var i = 0; i < count; i++)
        {
            list.Add(reader.ReadString());
        }

        return list;
    }

    private static List<string> CreateTopicsFirstName(ref KafkaReader reader)
    {
        // The per-topic assignments and configs follow each name; the first name is enough for matching.
        var count = reader.ReadArrayLength(2);
        return count > 0 ? [reader.ReadString()] : [];
    }
}
