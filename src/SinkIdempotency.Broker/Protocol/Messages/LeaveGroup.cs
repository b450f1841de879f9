using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>LeaveGroup v0–1 request (the single-member form).</summary>
internal sealed record LeaveGroupRequest(string GroupId, string MemberId) : KafkaRequest, IKafkaRequest<LeaveGroupRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = GroupId, MemberId = MemberId };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new LeaveGroupResponse(error);

    public static LeaveGroupRequest Read(ref KafkaReader reader, short version)
    {
        _ = version;
        var groupId = reader.ReadString();
        var memberId = reader.ReadString();
        return new LeaveGroupRequest(groupId, memberId);
    }
}

/// <summary>LeaveGroup v0–1 response.</summary>
internal sealed class LeaveGroupResponse(ErrorCode errorCode) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public override ErrorCode TopLevelError => ErrorCode;

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16(ErrorCode);
    }
}
