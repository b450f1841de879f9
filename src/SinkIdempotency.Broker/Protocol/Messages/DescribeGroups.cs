using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DescribeGroups v0–4 request.</summary>
internal sealed record DescribeGroupsRequest(IReadOnlyList<string> Groups, bool IncludeAuthorizedOperations) : KafkaRequest, IKafkaRequest<DescribeGroupsRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => header with { GroupId = Groups.FirstOrDefault() };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) =>
        new DescribeGroupsResponse([.. Groups.Select(g => new DescribedGroup(error, g, string.Empty, string.Empty, string.Empty, [], DescribeGroupsResponse.AuthorizedOperationsOmitted))]);

    public static DescribeGroupsRequest Read(ref KafkaReader reader, short version)
    {
        var count = reader.ReadArrayLength(2);
        var groups = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            groups.Add(reader.ReadString());
        }

        var includeOps = version >= 3 && reader.ReadBoolean();
        return new DescribeGroupsRequest(groups, includeOps);
    }
}

/// <summary>One member in a DescribeGroups response.</summary>
internal sealed record DescribedGroupMember(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    byte[] MemberMetadata,
    byte[] MemberAssignment);

/// <summary>One group in a DescribeGroups response.</summary>
internal sealed record DescribedGroup(
    ErrorCode ErrorCode,
    string GroupId,
    string GroupState,
    string ProtocolType,
    string ProtocolData,
    IReadOnlyList<DescribedGroupMember> Members,
    int AuthorizedOperations);

/// <summary>DescribeGroups v0–4 response.</summary>
internal sealed class DescribeGroupsResponse(IReadOnlyList<DescribedGroup> groups) : Response
{
    public IReadOnlyList<DescribedGroup> Groups { get; } = groups;

    public override ErrorCode TopLevelError => Groups.Select(g => g.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);

    /// <summary>Marks "authorized operations not requested" (Kafka's INT32_MIN).</summary>
    public const int AuthorizedOperationsOmitted = int.MinValue;

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayLength(Groups.Count);
        foreach (var group in Groups)
        {
            writer.WriteInt16(group.ErrorCode);
            writer.WriteString(group.GroupId);
            writer.WriteString(group.GroupState);
            writer.WriteString(group.ProtocolType);
            writer.WriteString(group.ProtocolData);
            writer.WriteArrayLength(group.Members.Count);
            foreach (var member in group.Members)
            {
                writer.WriteString(member.MemberId);
                if (version >= 4)
                {
                    writer.WriteNullableString(member.GroupInstanceId);
                }

                writer.WriteString(member.ClientId);
                writer.WriteString(member.ClientHost);
                writer.WriteBytes(member.MemberMetadata);
                writer.WriteBytes(member.MemberAssignment);
            }

            if (version >= 3)
            {
                writer.WriteInt32(group.AuthorizedOperations);
            }
        }
    }
}
