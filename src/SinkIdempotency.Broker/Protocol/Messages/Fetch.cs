using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>Fetch request (v4–11).</summary>
internal sealed record FetchRequest(
    int ReplicaId,
    int MaxWaitMs,
    int MinBytes,
    int MaxBytes,
    sbyte IsolationLevel,
    int SessionId,
    int SessionEpoch,
    IReadOnlyList<FetchTopic> Topics)
    : KafkaRequest, IKafkaRequest<FetchRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = [.. Topics.Select(t => t.Name)] };

    /// <remarks>The top-level error is written from v7 on; older versions carry it per partition only.</remarks>
    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new FetchResponse(
            error,
            [.. Topics.Select(t => new FetchTopicResponse(t.Name, [.. t.Partitions.Select(p => new FetchPartitionResponse(p.Index, error, -1, -1, -1, []))]))]);

    public static FetchRequest Read(ref KafkaReader reader, short version)
    {
        var replicaId = reader.ReadInt32();
        var maxWait = reader.ReadInt32();
        var minBytes = reader.ReadInt32();
        var maxBytes = reader.ReadInt32();
        var isolation = reader.ReadInt8();
        int sessionId = 0, sessionEpoch = -1;
        if (version >= 7)
        {
            sessionId = reader.ReadInt32();
            sessionEpoch = reader.ReadInt32();
        }

        var topicCount = reader.ReadArrayLength(6);
        var topics = new List<FetchTopic>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var partitionCount = reader.ReadArrayLength(16);
            var partitions = new List<FetchPartition>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                var index = reader.ReadInt32();
                var leaderEpoch = version >= 9 ? reader.ReadInt32() : -1;
                var fetchOffset = reader.ReadInt64();
                var logStart = version >= 5 ? reader.ReadInt64() : -1;
                var partitionMax = reader.ReadInt32();
                partitions.Add(new FetchPartition(index, leaderEpoch, fetchOffset, logStart, partitionMax));
            }

            topics.Add(new FetchTopic(name, partitions));
        }

        if (version >= 7)
        {
            var forgotten = reader.ReadArrayLength(6);
            for (var f = 0; f < forgotten; f++)
            {
                _ = reader.ReadString();
                var count = reader.ReadArrayLength(4);
                for (var i = 0; i < count; i++)
                {
                    _ = reader.ReadInt32();
                }
            }
        }

        if (version >= 11)
        {
            _ = reader.ReadString();
        }

        return new FetchRequest(replicaId, maxWait, minBytes, maxBytes, isolation, sessionId, sessionEpoch, topics);
    }
}

/// <summary>One topic of a Fetch request.</summary>
internal sealed record FetchTopic(string Name, IReadOnlyList<FetchPartition> Partitions);

/// <summary>One partition of a Fetch request.</summary>
internal sealed record FetchPartition(int Index, int CurrentLeaderEpoch, long FetchOffset, long LogStartOffset, int PartitionMaxBytes);

/// <summary>Fetch response (v4–11). Records are written as the stored batches, back to back, never null.</summary>
internal sealed class FetchResponse(ErrorCode error, IReadOnlyList<FetchTopicResponse> topics) : Response
{
    public ErrorCode Error { get; } = error;

    public IReadOnlyList<FetchTopicResponse> Topics { get; } = topics;

    public override ErrorCode TopLevelError => Error != ErrorCode.None
        ? Error
        : Topics.SelectMany(t => t.Partitions).Select(p => p.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        writer.Reserve(EstimateSize());
        writer.WriteInt32(0);
        if (version >= 7)
        {
            writer.WriteInt16(Error);
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
                writer.WriteInt64(partition.HighWatermark);
                writer.WriteInt64(partition.LastStableOffset);
                if (version >= 5)
                {
                    writer.WriteInt64(partition.LogStartOffset);
                }

                writer.WriteArrayLength(0);
                if (version >= 11)
                {
                    writer.WriteInt32(-1);
                }

                var total = 0;
                foreach (var batch in partition.Batches)
                {
                    total += batch.Length;
                }

                writer.WriteInt32(total);
                foreach (var batch in partition.Batches)
                {
                    writer.WriteRaw(batch.Span);
                }
            }
        }
    }

    private int EstimateSize()
    {
        long size = 16;
        foreach (var topic in Topics)
        {
            size += 8 + (topic.Name.Length * 3L);
            foreach (var partition in topic.Partitions)
            {
                size += 50;
                foreach (var batch in partition.Batches)
                {
                    size += batch.Length;
                }
            }
        }

        return (int)Math.Min(size, int.MaxValue / 2);
    }
}

/// <summary>One topic of a Fetch response.</summary>
internal sealed record FetchTopicResponse(string Name, IReadOnlyList<FetchPartitionResponse> Partitions);

/// <summary>One partition of a Fetch response; <see cref="Batches"/> are whole stored batches.</summary>
internal sealed record FetchPartitionResponse(int Index, ErrorCode Error, long HighWatermark, long LastStableOffset, long LogStartOffset, IReadOnlyList<ReadOnlyMemory<byte>> Batches);
