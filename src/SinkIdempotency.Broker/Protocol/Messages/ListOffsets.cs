using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>ListOffsets request (v1–5). Timestamp -1 = latest, -2 = earliest, otherwise a time in ms.</summary>
internal sealed record ListOffsetsRequest(int ReplicaId, sbyte IsolationLevel, IReadOnlyList<ListOffsetsTopic> Topics) : KafkaRequest, IKafkaRequest<ListOffsetsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = [.. Topics.Select(t => t.Name)] };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new ListOffsetsResponse([.. Topics.Select(t => new ListOffsetsTopicResponse(t.Name, [.. t.Partitions.Select(p => new ListOffsetsPartitionResponse(p.Index, error, -1, -1, -1))]))]);

    public const long Latest = -1;
    public const long Earliest = -2;

    public static ListOffsetsRequest Read(ref KafkaReader reader, short version)
    {
        var replicaId = reader.ReadInt32();
        var isolation = version >= 2 ? reader.ReadInt8() : (sbyte)0;
        var topicCount = reader.ReadArrayLength(6);
        var topics = new List<ListOffsetsTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var partitionCount = reader.ReadArrayLength(12);
            var partitions = new List<ListOffsetsPartition>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                var index = reader.ReadInt32();
                var epoch = version >= 4 ? reader.ReadInt32() : -1;
                var timestamp = reader.ReadInt64();
                partitions.Add(new ListOffsetsPartition(index, epoch, timestamp));
            }

            topics.Add(new ListOffsetsTopic(name, partitions));
        }

        return new ListOffsetsRequest(replicaId, isolation, topics);
    }
}

/// <summary>One topic of a ListOffsets request.</summary>
internal sealed record ListOffsetsTopic(string Name, IReadOnlyList<ListOffsetsPartition> Partitions);

/// <summary>One partition of a ListOffsets request.</summary>
internal sealed record ListOffsetsPartition(int Index, int CurrentLeaderEpoch, long Timestamp);

/// <summary>ListOffsets response (v1–5).</summary>
internal sealed class ListOffsetsResponse(IReadOnlyList<ListOffsetsTopicResponse> topics) : Response
{
    public IReadOnlyList<ListOffsetsTopicResponse> Topics { get; } = topics;

    public override ErrorCode TopLevelError =>
        Topics.SelectMany(t => t.Partitions).Select(p => p.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 2)
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
                writer.WriteInt32(partition.Index);
                writer.WriteInt16(partition.Error);
                writer.WriteInt64(partition.Timestamp);
                writer.WriteInt64(partition.Offset);
                if (version >= 4)
                {
                    writer.WriteInt32(partition.LeaderEpoch);
                }
            }
        }
    }
}

/// <summary>One topic of a ListOffsets response.</summary>
internal sealed record ListOffsetsTopicResponse(string Name, IReadOnlyList<ListOffsetsPartitionResponse> Partitions);

/// <summary>One partition of a ListOffsets response.</summary>
internal sealed record ListOffsetsPartitionResponse(int Index, ErrorCode Error, long Timestamp, long Offset, int LeaderEpoch);
