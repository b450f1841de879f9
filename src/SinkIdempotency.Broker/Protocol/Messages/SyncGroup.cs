using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>One member's assignment as sent by the leader.</summary>
internal sealed record SyncGroupAssignment(string MemberId, byte[] Assignment);

/// <summary>SyncGroup v0–3 request.</summary>
internal sealed record SyncGroupRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    IReadOnlyList<SyncGroupAssignment> Assignments)
    : KafkaRequest, IKafkaRequest<SyncGroupRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = GroupId, MemberId = MemberId, GenerationId = GenerationId };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => SyncGroupResponse.Error(error);

    public static SyncGroupRequest Read(ref KafkaReader reader, short version)
    {
        var groupId = reader.ReadString();
        var generation = reader.ReadInt32();
        var memberId = reader.ReadString();
        var instanceId = version >= 3 ? reader.ReadNullableString() : null;
        var count = reader.ReadArrayLength(6);
        var assignments = new List<SyncGroupAssignment>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var member = reader.ReadString();
            var bytes = reader.ReadNullableBytes() ?? [];
            assignments.Add(new SyncGroupAssignment(member, bytes));
        }

        return new SyncGroupRequest(groupId, generation, memberId, instanceId, assignments);
    }
}

/// <summary>SyncGroup v0–3 response.</summary>
internal sealed class SyncGroupResponse(ErrorCode errorCode, byte[] assignment) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public byte[] Assignment { get; } = assignment;

    public override ErrorCode TopLevelError => ErrorCode;

    public static SyncGroupResponse Error(ErrorCode error) => new(error, []);

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16(ErrorCode);
        writer.WriteBytes(Assignment);
    }
}
