using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>CreateTopics request (v0–4).</summary>
internal sealed record CreateTopicsRequest(IReadOnlyList<CreatableTopic> Topics, int TimeoutMs, bool ValidateOnly) : KafkaRequest, IKafkaRequest<CreateTopicsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = [.. Topics.Select(t => t.Name)] };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new CreateTopicsResponse([.. Topics.Select(t => new CreateTopicResult(t.Name, error, null))]);

    public static CreateTopicsRequest Read(ref KafkaReader reader, short version)
    {
        var count = reader.ReadArrayLength(2 + 4 + 2 + 4 + 4);
        var topics = new List<CreatableTopic>(Math.Max(count, 0));
        for (var t = 0; t < count; t++)
        {
            var name = reader.ReadString();
            var partitions = reader.ReadInt32();
            var replication = reader.ReadInt16();
            var assignmentCount = reader.ReadArrayLength(8);
            var assignments = new List<int>();
            for (var a = 0; a < assignmentCount; a++)
            {
                assignments.Add(reader.ReadInt32());
                var brokers = reader.ReadArrayLength(4);
                for (var b = 0; b < brokers; b++)
                {
                    _ = reader.ReadInt32();
                }
            }

            var configCount = reader.ReadArrayLength(4);
            var configs = new List<KeyValuePair<string, string?>>(Math.Max(configCount, 0));
            for (var c = 0; c < configCount; c++)
            {
                configs.Add(new(reader.ReadString(), reader.ReadNullableString()));
            }

            topics.Add(new CreatableTopic(name, partitions, replication, assignments, configs));
        }

        var timeout = reader.ReadInt32();
        var validateOnly = version >= 1 && reader.ReadBoolean();
        return new CreateTopicsRequest(topics, timeout, validateOnly);
    }
}

/// <summary>One topic of a CreateTopics request; <see cref="AssignedPartitions"/> lists manual assignments' partition indexes.</summary>
internal sealed record CreatableTopic(string Name, int NumPartitions, short ReplicationFactor, IReadOnlyList<int> AssignedPartitions, IReadOnlyList<KeyValuePair<string, string?>> Configs);

/// <summary>CreateTopics response (v0–4).</summary>
internal sealed class CreateTopicsResponse(IReadOnlyList<CreateTopicResult> topics) : Response
{
    public IReadOnlyList<CreateTopicResult> Topics { get; } = topics;

    public override ErrorCode TopLevelError => Topics.Select(t => t.Error).FirstOrDefault(e => e != ErrorCode.None);

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
            writer.WriteInt16(topic.Error);
            if (version >= 1)
            {
                writer.WriteNullableString(topic.Message);
            }
        }
    }
}

/// <summary>One topic's result in a CreateTopics response.</summary>
internal sealed record CreateTopicResult(string Name, ErrorCode Error, string? Message);
