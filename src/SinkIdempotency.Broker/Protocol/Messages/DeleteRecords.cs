using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DeleteRecords request (v0–2; v2 flexible): per partition, the offset before which records go (-1: the high watermark).</summary>
internal sealed record DeleteRecordsRequest(IReadOnlyList<DeleteRecordsTopic> Topics, int TimeoutMs) : KafkaRequest, IKafkaRequest<DeleteRecordsRequest>
{
    public const short FirstFlexible = 2;

    /// <summary>Kafka's "delete up to the high watermark" offset (<c>DeleteRecordsRequest.HIGH_WATERMARK</c>).</summary>
    public const long HighWatermark = -1;

    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = [.. Topics.Select(t => t.Name)] };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DeleteRecordsResponse([.. Topics.Select(t => new DeleteRecordsTopicResult(t.Name, [.. t.Partitions.Select(p => new DeleteRecordsPartitionResult(p.Index, DeleteRecordsResponse.InvalidLowWatermark, error))]))]);

    public static DeleteRecordsRequest Read(ref KafkaReader reader, short version)
    {
        var flexible = version >= FirstFlexible;
        var topicCount = reader.ReadArrayLength(flexible, 3);
        var topics = new List<DeleteRecordsTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(flexible);
            var partitionCount = reader.ReadArrayLength(flexible, 12);
            var partitions = new List<DeleteRecordsPartition>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                partitions.Add(new DeleteRecordsPartition(reader.ReadInt32(), reader.ReadInt64()));
                reader.SkipTaggedFields(flexible);
            }

            reader.SkipTaggedFields(flexible);
            topics.Add(new DeleteRecordsTopic(name, partitions));
        }

        var timeout = reader.ReadInt32();
        reader.SkipTaggedFields(flexible);
        return new DeleteRecordsRequest(topics, timeout);
    }
}

/// <summary>One topic of a DeleteRecords request.</summary>
internal sealed record DeleteRecordsTopic(string Name, IReadOnlyList<DeleteRecordsPartition> Partitions);

/// <summary>One partition of a DeleteRecords request.</summary>
internal sealed record DeleteRecordsPartition(int Index, long Offset);

/// <summary>DeleteRecords response (v0–2): per partition the new low watermark (log start offset) or an error.</summary>
internal sealed class DeleteRecordsResponse(IReadOnlyList<DeleteRecordsTopicResult> topics) : Response
{
    /// <summary>The low watermark of a partition that failed (Kafka's <c>INVALID_LOW_WATERMARK</c>).</summary>
    public const long InvalidLowWatermark = -1;

    public IReadOnlyList<DeleteRecordsTopicResult> Topics { get; } = topics;

    public override ErrorCode TopLevelError => Topics.SelectMany(t => t.Partitions).Select(p => p.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        var flexible = version >= DeleteRecordsRequest.FirstFlexible;
        writer.WriteInt32(0);
        writer.WriteArrayLength(Topics.Count, flexible);
        foreach (var topic in Topics)
        {
            writer.WriteString(topic.Name, flexible);
            writer.WriteArrayLength(topic.Partitions.Count, flexible);
            foreach (var partition in topic.Partitions)
            {
                writer.WriteInt32(partition.Index);
                writer.WriteInt64(partition.LowWatermark);
                writer.WriteInt16(partition.Error);
                writer.WriteTaggedFields(flexible);
            }

            writer.WriteTaggedFields(flexible);
        }

        writer.WriteTaggedFields(flexible);
    }
}

/// <summary>One topic's results in a DeleteRecords response.</summary>
internal sealed record DeleteRecordsTopicResult(string Name, IReadOnlyList<DeleteRecordsPartitionResult> Partitions);

/// <summary>One partition's result in a DeleteRecords response.</summary>
internal sealed record DeleteRecordsPartitionResult(int Index, long LowWatermark, ErrorCode Error);
