using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>One protocol (assignor) a joining member supports, with its opaque subscription bytes.</summary>
internal sealed record JoinGroupProtocol(string Name, byte[] Metadata);

/// <summary>JoinGroup v0–5 request.</summary>
internal sealed record JoinGroupRequest(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<JoinGroupProtocol> Protocols)
    : KafkaRequest, IKafkaRequest<JoinGroupRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = GroupId, MemberId = MemberId };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => JoinGroupResponse.Error(error, MemberId);

    public static JoinGroupRequest Read(ref KafkaReader reader, short version)
    {
        var groupId = reader.ReadString();
        var sessionTimeout = reader.ReadInt32();

        // v0 has no rebalance timeout; Kafka uses the session timeout in its place.
        var rebalanceTimeout = version >= 1 ? reader.ReadInt32() : sessionTimeout;
        var memberId = reader.ReadString();
        var instanceId = version >= 5 ? reader.ReadNullableString() : null;
        var protocolType = reader.ReadString();
        var count = reader.ReadArrayLength(6);
        var protocols = new List<JoinGroupProtocol>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var metadata = reader.ReadNullableBytes() ?? [];
            protocols.Add(new JoinGroupProtocol(name, metadata));
        }

        return new JoinGroupRequest(groupId, sessionTimeout, rebalanceTimeout, memberId, instanceId, protocolType, protocols);
    }
}

/// <summary>One member as the leader sees it in a JoinGroup response.</summary>
internal sealed record JoinGroupResponseMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>JoinGroup v0–5 response.</summary>
internal sealed class JoinGroupResponse(ErrorCode errorCode, int generationId, string protocolName, string leader, string memberId, IReadOnlyList<JoinGroupResponseMember> members) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public int GenerationId { get; } = generationId;

    public string ProtocolName { get; } = protocolName;

    public string Leader { get; } = leader;

    public string MemberId { get; } = memberId;

    public IReadOnlyList<JoinGroupResponseMember> Members { get; } = members;

    public override ErrorCode TopLevelError => ErrorCode;

    public static JoinGroupResponse Error(ErrorCode error, string memberId = "") =>
        new(error, -1, string.Empty, string.Empty, memberId, []);

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 2)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteInt32(GenerationId);
        writer.WriteString(ProtocolName);
        writer.WriteString(Leader);
        writer.WriteString(MemberId);
        writer.WriteArrayLength(Members.Count);
        foreach (var member in Members)
        {
            writer.WriteString(member.MemberId);
            if (version >= 5)
            {
                writer.WriteNullableString(member.GroupInstanceId);
            }

            writer.WriteBytes(member.Metadata);
        }
    }
}
