using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DeleteGroups v0–1 request.</summary>
internal sealed record DeleteGroupsRequest(IReadOnlyList<string> GroupNames) : KafkaRequest, IKafkaRequest<DeleteGroupsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = GroupNames.FirstOrDefault() };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DeleteGroupsResponse([.. GroupNames.Select(g => new DeleteGroupsResult(g, error))]);

    public static DeleteGroupsRequest Read(ref KafkaReader reader, short version)
    {
        _ = version;
        var count = reader.ReadArrayLength(2);
        var names = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            names.Add(reader.ReadString());
        }

        return new DeleteGroupsRequest(names);
    }
}

/// <summary>One group's result in a DeleteGroups response.</summary>
internal sealed record DeleteGroupsResult(string GroupId, ErrorCode ErrorCode);

/// <summary>DeleteGroups v0–1 response.</summary>
internal sealed class DeleteGroupsResponse(IReadOnlyList<DeleteGroupsResult> results) : Response
{
    public IReadOnlyList<DeleteGroupsResult> Results { get; } = results;

    public override ErrorCode TopLevelError => Results.Select(r => r.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);

    public override void Write(KafkaWriter writer, short version)
    {
        _ = version;
        writer.WriteInt32(0);
        writer.WriteArrayLength(Results.Count);
        foreach (var result in Results)
        {
            writer.WriteString(result.GroupId);
            writer.WriteInt16(result.ErrorCode);
        }
    }
}
