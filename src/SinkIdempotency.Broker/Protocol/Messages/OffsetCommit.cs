using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>One partition's offset in an OffsetCommit request.</summary>
internal sealed record OffsetCommitRequestPartition(int PartitionIndex, long CommittedOffset, int CommittedLeaderEpoch, string? CommittedMetadata);

/// <summary>One topic's partitions in an OffsetCommit request.</summary>
internal sealed record OffsetCommitRequestTopic(string Name, IReadOnlyList<OffsetCommitRequestPartition> Partitions);

/// <summary>OffsetCommit v2–7 request.</summary>
internal sealed record OffsetCommitRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    long RetentionTimeMs,
    IReadOnlyList<OffsetCommitRequestTopic> Topics)
    : KafkaRequest, IKafkaRequest<OffsetCommitRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with
    {
        GroupId = GroupId,
        MemberId = MemberId,
        GenerationId = GenerationId,
        Topics = [.. Topics.Select(t => t.Name).Distinct(StringComparer.Ordinal)],
        Offsets = [.. Topics.SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p.PartitionIndex, p.CommittedOffset, p.CommittedMetadata, null)))],
    };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => OffsetCommitResponse.AllFailed(this, error);

    public static OffsetCommitRequest Read(ref KafkaReader reader, short version)
    {
        if (version < 2)
        {
            throw new ProtocolException($"OffsetCommit v{version} is not supported (2–7 are)");
        }

        var groupId = reader.ReadString();
        var generation = reader.ReadInt32();
        var memberId = reader.ReadString();
        var instanceId = version >= 7 ? reader.ReadNullableString() : null;
        var retention = version <= 4 ? reader.ReadInt64() : -1L;
        var topicCount = reader.ReadArrayLength(6);
        var topics = new List<OffsetCommitRequestTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var partitionCount = reader.ReadArrayLength(14);
            var partitions = new List<OffsetCommitRequestPartition>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                var index = reader.ReadInt32();
                var offset = reader.ReadInt64();
                var epoch = version >= 6 ? reader.ReadInt32() : -1;
                var metadata = reader.ReadNullableString();
                partitions.Add(new OffsetCommitRequestPartition(index, offset, epoch, metadata));
            }

            topics.Add(new OffsetCommitRequestTopic(name, partitions));
        }

        return new OffsetCommitRequest(groupId, generation, memberId, instanceId, retention, topics);
    }
}

/// <summary>One partition's result in an OffsetCommit response.</summary>
internal sealed record OffsetCommitResponsePartition(int PartitionIndex, ErrorCode ErrorCode);

/// <summary>One topic's results in an OffsetCommit response.</summary>
internal sealed record OffsetCommitResponseTopic(string Name, IReadOnlyList<OffsetCommitResponsePartition> Partitions);

/// <summary>OffsetCommit v2–7 response.</summary>
internal sealed class OffsetCommitResponse(IReadOnlyList<OffsetCommitResponseTopic> topics) : Response
{
    public IReadOnlyList<OffsetCommitResponseTopic> Topics { get; } = topics;

    public override ErrorCode TopLevelError => Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);

    /// <summary>Builds a response that carries <paramref name="error"/> for every partition of <paramref name="request"/>.</summary>
    public static OffsetCommitResponse AllFailed(OffsetCommitRequest request, ErrorCode error) =>
        new(request.Topics
            .Select(t => new OffsetCommitResponseTopic(t.Name, t.Partitions.Select(p => new OffsetCommitResponsePartition(p.PartitionIndex, error)).ToList()))
            .ToList());

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayLength(Topics.Count);
        foreach (var topic in Topics)
        {
            writer.WriteString(topic.Name);
            writer.WriteArrayLength(topic.Partitions.Count);
            foreach (var partition in topic.Partitions)
            {
                writer.WriteInt32(partition.PartitionIndex);
                writer.WriteInt16(partition.ErrorCode);
            }
        }
    }
}
