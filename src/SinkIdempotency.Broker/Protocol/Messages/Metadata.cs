using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>Metadata request (v0–8). A null topic list means "all topics" (v1+); in v0 an empty list does.</summary>
internal sealed record MetadataRequest(IReadOnlyList<string>? Topics, bool AllowAutoTopicCreation, bool IncludeClusterAuthorizedOperations, bool IncludeTopicAuthorizedOperations) : KafkaRequest, IKafkaRequest<MetadataRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = Topics ?? [] };

    /// <remarks>The answer still lists this broker, cluster id and controller: librdkafka treats a Metadata answer without brokers as partial and retries.</remarks>
    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new MetadataResponse
    {
        Brokers = [new MetadataBroker(state.NodeId, state.AdvertisedHost, state.AdvertisedPort, null)],
        ClusterId = state.ClusterId,
        ControllerId = state.NodeId,
        Topics = [.. (Topics ?? []).Select(t => new MetadataTopic(error, t, false, [], MetadataResponse.AuthorizedOperationsOmitted))],
    };

    public static MetadataRequest Read(ref KafkaReader reader, short version)
    {
        var count = reader.ReadArrayLength(2);
        List<string>? topics = null;
        if (count >= 0)
        {
            topics = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                topics.Add(reader.ReadString());
            }
        }

        if (version == 0 && topics is { Count: 0 })
        {
            topics = null;
        }

        var allowAuto = version < 4 || reader.ReadBoolean();
        bool includeCluster = false, includeTopic = false;
        if (version >= 8)
        {
            includeCluster = reader.ReadBoolean();
            includeTopic = reader.ReadBoolean();
        }

        return new MetadataRequest(topics, allowAuto, includeCluster, includeTopic);
    }
}

/// <summary>Metadata response (v0–8).</summary>
internal sealed class MetadataResponse : Response
{
    /// <summary>Kafka's "authorized operations not requested" marker.</summary>
    public const int AuthorizedOperationsOmitted = int.MinValue;

    public required IReadOnlyList<MetadataBroker> Brokers { get; init; }

    public string? ClusterId { get; init; }

    public int ControllerId { get; init; } = -1;

    public required IReadOnlyList<MetadataTopic> Topics { get; init; }

    public int ClusterAuthorizedOperations { get; init; } = AuthorizedOperationsOmitted;

    public override ErrorCode TopLevelError => Topics.FirstOrDefault(t => t.Error != ErrorCode.None)?.Error ?? ErrorCode.None;

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayLength(Brokers.Count);
        foreach (var broker in Brokers)
        {
            writer.WriteInt32(broker.NodeId);
            writer.WriteString(broker.Host);
            writer.WriteInt32(broker.Port);
            if (version >= 1)
            {
                writer.WriteNullableString(broker.Rack);
            }
        }

        if (version >= 2)
        {
            writer.WriteNullableString(ClusterId);
        }

        if (version >= 1)
        {
            writer.WriteInt32(ControllerId);
        }

        writer.WriteArrayLength(Topics.Count);
        foreach (var topic in Topics)
        {
            writer.WriteInt16(topic.Error);
            writer.WriteString(topic.Name);
            if (version >= 1)
            {
                writer.WriteBoolean(topic.IsInternal);
            }

            writer.WriteArrayLength(topic.Partitions.Count);
            foreach (var partition in topic.Partitions)
            {
                writer.WriteInt16(partition.Error);
                writer.WriteInt32(partition.Index);
                writer.WriteInt32(partition.LeaderId);
                if (version >= 7)
                {
                    writer.WriteInt32(partition.LeaderEpoch);
                }

                WriteInt32Array(writer, partition.Replicas);
                WriteInt32Array(writer, partition.Replicas);
                if (version >= 5)
                {
                    writer.WriteArrayLength(0);
                }
            }

            if (version >= 8)
            {
                writer.WriteInt32(topic.AuthorizedOperations);
            }
        }

        if (version >= 8)
        {
            writer.WriteInt32(ClusterAuthorizedOperations);
        }
    }

    private static void WriteInt32Array(KafkaWriter writer, IReadOnlyList<int> values)
    {
        writer.WriteArrayLength(values.Count);
        foreach (var value in values)
        {
            writer.WriteInt32(value);
        }
    }
}

/// <summary>One broker in a Metadata response.</summary>
internal sealed record MetadataBroker(int NodeId, string Host, int Port, string? Rack);

/// <summary>One topic in a Metadata response.</summary>
internal sealed record MetadataTopic(ErrorCode Error, string Name, bool IsInternal, IReadOnlyList<MetadataPartition> Partitions, int AuthorizedOperations);

/// <summary>One partition in a Metadata response; replicas double as the ISR on a single node.</summary>
internal sealed record MetadataPartition(ErrorCode Error, int Index, int LeaderId, int LeaderEpoch, IReadOnlyList<int> Replicas);
