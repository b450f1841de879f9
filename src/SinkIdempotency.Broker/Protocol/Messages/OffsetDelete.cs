using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>One topic's partitions in an OffsetDelete request.</summary>
internal sealed record OffsetDeleteRequestTopic(string Name, IReadOnlyList<int> Partitions);

/// <summary>OffsetDelete v0 request.</summary>
internal sealed record OffsetDeleteRequest(string GroupId, IReadOnlyList<OffsetDeleteRequestTopic> Topics) : KafkaRequest, IKafkaRequest<OffsetDeleteRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with
    {
        GroupId = GroupId,
        Topics = [.. Topics.Select(t => t.Name)],
        Offsets = [.. Topics.SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p, -1, null, null)))],
    };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new OffsetDeleteResponse(error, []);

    public static OffsetDeleteRequest Read(ref KafkaReader reader, short version)
    {
        _ = version;
        var groupId = reader.ReadString();
        var topicCount = reader.ReadArrayLength(6);
        var topics = new List<OffsetDeleteRequestTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var count = reader.ReadArrayLength(4);
            var partitions = new List<int>(Math.Max(count, 0));
            for (var p = 0; p < count; p++)
            {
                partitions.Add(reader.ReadInt32());
            }

            topics.Add(new OffsetDeleteRequestTopic(name, partitions));
        }

        return new OffsetDeleteRequest(groupId, topics);
    }
}

/// <summary>One partition's result in an OffsetDelete response.</summary>
internal sealed record OffsetDeleteResponsePartition(int PartitionIndex, ErrorCode ErrorCode);

/// <summary>One topic's results in an OffsetDelete response.</summary>
internal sealed record OffsetDeleteResponseTopic(string Name, IReadOnlyList<OffsetDeleteResponsePartition> Partitions);

/// <summary>OffsetDelete v0 response.</summary>
internal sealed class OffsetDeleteResponse(ErrorCode errorCode, IReadOnlyList<OffsetDeleteResponseTopic> topics) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public IReadOnlyList<OffsetDeleteResponseTopic> Topics { get; } = topics;

    public override ErrorCode TopLevelError => ErrorCode != ErrorCode.None ? ErrorCode : Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        _ = version;
        writer.WriteInt16(ErrorCode);
        writer.WriteInt32(0);
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
