using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>Produce request (v3–7). Records are slices of the request body (valid until the response is produced).</summary>
internal sealed record ProduceRequest(string? TransactionalId, short Acks, int TimeoutMs, IReadOnlyList<ProduceTopicData> Topics) : KafkaRequest, IKafkaRequest<ProduceRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = [.. Topics.Select(t => t.Name)] };

    public override Response? ErrorResponse(ErrorCode error, BrokerState state) =>
        Acks == 0
            ? null
            : new ProduceResponse([.. Topics.Select(t => new ProduceTopicResponse(t.Name, [.. t.Partitions.Select(p => new ProducePartitionResponse(p.Index, error, -1, -1))]))]);

    /// <summary>Reads the request; the records are slices of the memory <paramref name="reader"/> was created over, not copies.</summary>
    public static ProduceRequest Read(ref KafkaReader reader, short version)
    {
        _ = version;
        var transactionalId = reader.ReadNullableString();
        var acks = reader.ReadInt16();
        var timeout = reader.ReadInt32();
        var topicCount = reader.ReadArrayLength(6);
        var topics = new List<ProduceTopicData>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var partitionCount = reader.ReadArrayLength(8);
            var partitions = new List<ProducePartitionData>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                var index = reader.ReadInt32();
                partitions.Add(new ProducePartitionData(index, reader.ReadBytesAsMemory()));
            }

            topics.Add(new ProduceTopicData(name, partitions));
        }

        return new ProduceRequest(transactionalId, acks, timeout, topics);
    }
}

/// <summary>One topic of a Produce request.</summary>
internal sealed record ProduceTopicData(string Name, IReadOnlyList<ProducePartitionData> Partitions);

/// <summary>One partition of a Produce request; null records are answered with an error.</summary>
internal sealed record ProducePartitionData(int Index, ReadOnlyMemory<byte>? Records);

/// <summary>Produce response (v3–7).</summary>
internal sealed class ProduceResponse(IReadOnlyList<ProduceTopicResponse> topics) : Response
{
    public IReadOnlyList<ProduceTopicResponse> Topics { get; } = topics;

    public override ErrorCode TopLevelError =>
        Topics.SelectMany(t => t.Partitions).Select(p => p.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        writer.WriteArrayLength(Topics.Count);
        foreach (var topic in Topics)
        {
            writer.WriteString(topic.Name);
            writer.WriteArrayLength(topic.Partitions.Count);
            foreach (var partition in topic.Partitions)
            {
                writer.WriteInt32(partition.Index);
                writer.WriteInt16(partition.Error);
                writer.WriteInt64(partition.BaseOffset);
                writer.WriteInt64(partition.LogAppendTimeMs);
                if (version >= 5)
                {
                    writer.WriteInt64(partition.LogStartOffset);
                }
            }
        }

        writer.WriteInt32(0);
    }
}

/// <summary>One topic of a Produce response.</summary>
internal sealed record ProduceTopicResponse(string Name, IReadOnlyList<ProducePartitionResponse> Partitions);

/// <summary>One partition of a Produce response; LogAppendTimeMs is -1 because batches keep CreateTime.</summary>
internal sealed record ProducePartitionResponse(int Index, ErrorCode Error, long BaseOffset, long LogStartOffset, long LogAppendTimeMs = -1);
