using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>DescribeAcls request (v0–3; v2 flexible): a filter over ACL bindings.</summary>
internal sealed record DescribeAclsRequest(
    sbyte ResourceType,
    string? ResourceName,
    sbyte PatternType,
    string? Principal,
    string? Host,
    sbyte Operation,
    sbyte PermissionType) : KafkaRequest, IKafkaRequest<DescribeAclsRequest>
{
    public const short FirstFlexible = 2;

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new DescribeAclsResponse(error, null);

    public static DescribeAclsRequest Read(ref KafkaReader reader, short version)
    {
        var flexible = version >= FirstFlexible;
        var resourceType = reader.ReadInt8();
        var resourceName = reader.ReadNullableString(flexible);
        var patternType = version >= 1 ? reader.ReadInt8() : (sbyte)3;
        var principal = reader.ReadNullableString(flexible);
        var host = reader.ReadNullableString(flexible);
        var operation = reader.ReadInt8();
        var permission = reader.ReadInt8();
        reader.SkipTaggedFields(flexible);
        return new DescribeAclsRequest(resourceType, resourceName, patternType, principal, host, operation, permission);
    }
}

/// <summary>DescribeAcls response (v0–3) without bindings: the embedded broker has no authorizer.</summary>
internal sealed class DescribeAclsResponse(ErrorCode error, string? errorMessage) : Response
{
    public ErrorCode Error { get; } = error;

    public string? ErrorMessage { get; } = errorMessage;

    public override ErrorCode TopLevelError => Error;

    public override void Write(KafkaWriter writer, short version)
    {
        var flexible = version >= DescribeAclsRequest.FirstFlexible;
        writer.WriteInt32(0);
        writer.WriteInt16(Error);
        writer.WriteNullableString(ErrorMessage, flexible);
        writer.WriteArrayLength(0, flexible);
        writer.WriteTaggedFields(flexible);
    }
}
