using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DeleteTopics request (v0–3).</summary>
internal sealed record DeleteTopicsRequest(IReadOnlyList<string> TopicNames, int TimeoutMs) : KafkaRequest, IKafkaRequest<DeleteTopicsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = TopicNames };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DeleteTopicsResponse([.. TopicNames.Select(n => (n, error))]);

    public static DeleteTopicsRequest Read(ref KafkaReader reader, short version)
    {
        var count = reader.ReadArrayLength(2);
        var names = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            names.Add(reader.ReadString());
        }

        return new DeleteTopicsRequest(names, reader.ReadInt32());
    }
}

/// <summary>DeleteTopics response (v0–3).</summary>
internal sealed class DeleteTopicsResponse(IReadOnlyList<(string Name, ErrorCode Error)> results) : Response
{
    public IReadOnlyList<(string Name, ErrorCode Error)> Results { get; } = results;

    public override ErrorCode TopLevelError => Results.Select(r => r.Error).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayLength(Results.Count);
        foreach (var (name, error) in Results)
        {
            writer.WriteString(name);
            writer.WriteInt16(error);
        }
    }
}
