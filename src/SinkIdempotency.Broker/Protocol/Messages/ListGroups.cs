using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>ListGroups v0–2 request (no fields before v4).</summary>
internal sealed record ListGroupsRequest : KafkaRequest, IKafkaRequest<ListGroupsRequest>
{
    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new ListGroupsResponse(error, []);

    public static ListGroupsRequest Read(ref KafkaReader reader, short version)
    {
        _ = reader;
        _ = version;
        return new ListGroupsRequest();
    }
}

/// <summary>One listed group.</summary>
internal sealed record ListedGroup(string GroupId, string ProtocolType);

/// <summary>ListGroups v0–2 response.</summary>
internal sealed class ListGroupsResponse(ErrorCode errorCode, IReadOnlyList<ListedGroup> groups) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public IReadOnlyList<ListedGroup> Groups { get; } = groups;

    public override ErrorCode TopLevelError => ErrorCode;

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteArrayLength(Groups.Count);
        foreach (var group in Groups)
        {
            writer.WriteString(group.GroupId);
            writer.WriteString(group.ProtocolType);
        }
    }
}
