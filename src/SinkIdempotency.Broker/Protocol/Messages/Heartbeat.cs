using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>Heartbeat v0–3 request.</summary>
internal sealed record HeartbeatRequest(string GroupId, int GenerationId, string MemberId, string? GroupInstanceId) : KafkaRequest, IKafkaRequest<HeartbeatRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = GroupId, MemberId = MemberId, GenerationId = GenerationId };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new HeartbeatResponse(error);

    public static HeartbeatRequest Read(ref KafkaReader reader, short version)
    {
        var groupId = reader.ReadString();
        var generation = reader.ReadInt32();
        var memberId = reader.ReadString();
        var instanceId = version >= 3 ? reader.ReadNullableString() : null;
        return new HeartbeatRequest(groupId, generation, memberId, instanceId);
    }
}

/// <summary>Heartbeat v0–3 response.</summary>
internal sealed class HeartbeatResponse(ErrorCode errorCode) : Response
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
