using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>One topic's partitions asked for in an OffsetFetch request.</summary>
internal sealed record OffsetFetchRequestTopic(string Name, IReadOnlyList<int> PartitionIndexes);

/// <summary>OffsetFetch v1–5 request; <see cref="Topics"/> is null for "every committed partition" (v2+).</summary>
internal sealed record OffsetFetchRequest(string GroupId, IReadOnlyList<OffsetFetchRequestTopic>? Topics) : KafkaRequest, IKafkaRequest<OffsetFetchRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with
    {
        GroupId = GroupId,
        Topics = [.. (Topics ?? []).Select(t => t.Name).Distinct(StringComparer.Ordinal)],
        Offsets = [.. (Topics ?? []).SelectMany(t => t.PartitionIndexes.Select(p => new BrokerPartitionOffset(t.Name, p, -1, null, null)))],
    };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new OffsetFetchResponse(
            [.. (Topics ?? []).Select(t => new OffsetFetchResponseTopic(t.Name, [.. t.PartitionIndexes.Select(p => new OffsetFetchResponsePartition(p, -1, -1, string.Empty, error))]))],
            error);

    public static OffsetFetchRequest Read(ref KafkaReader reader, short version)
    {
        _ = version;
        var groupId = reader.ReadString();
        var topicCount = reader.ReadArrayLength(6);
        if (topicCount < 0)
        {
            return new OffsetFetchRequest(groupId, null);
        }

        var topics = new List<OffsetFetchRequestTopic>(topicCount);
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString();
            var count = reader.ReadArrayLength(4);
            var partitions = new List<int>(Math.Max(count, 0));
            for (var p = 0; p < count; p++)
            {
                partitions.Add(reader.ReadInt32());
            }

            topics.Add(new OffsetFetchRequestTopic(name, partitions));
        }

        return new OffsetFetchRequest(groupId, topics);
    }
}

/// <summary>One partition's committed offset in an OffsetFetch response.</summary>
internal sealed record OffsetFetchResponsePartition(int PartitionIndex, long CommittedOffset, int CommittedLeaderEpoch, string? Metadata, ErrorCode ErrorCode);

/// <summary>One topic's committed offsets in an OffsetFetch response.</summary>
internal sealed record OffsetFetchResponseTopic(string Name, IReadOnlyList<OffsetFetchResponsePartition> Partitions);

/// <summary>OffsetFetch v1–5 response.</summary>
internal sealed class OffsetFetchResponse(IReadOnlyList<OffsetFetchResponseTopic> topics, ErrorCode errorCode) : Response
{
    public IReadOnlyList<OffsetFetchResponseTopic> Topics { get; } = topics;

    public ErrorCode ErrorCode { get; } = errorCode;

    public override ErrorCode TopLevelError => ErrorCode != ErrorCode.None ? ErrorCode : Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);

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
                writer.WriteInt64(partition.CommittedOffset);
                if (version >= 5)
                {
                    writer.WriteInt32(partition.CommittedLeaderEpoch);
                }

                writer.WriteNullableString(partition.Metadata);
                writer.WriteInt16(partition.ErrorCode);
            }
        }

        if (version >= 2)
        {
            writer.WriteInt16(ErrorCode);
        }
    }
}
