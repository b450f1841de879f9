using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>FindCoordinator v0–2 request: the group (KeyType 0) or transactional id (KeyType 1) to locate.</summary>
internal sealed record FindCoordinatorRequest(string Key, sbyte KeyType) : KafkaRequest, IKafkaRequest<FindCoordinatorRequest>
{
    public override BrokerRequest Describe(BrokerRequest header) => KeyType == 0 ? header with { GroupId = Key } : header;

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new FindCoordinatorResponse(error, null, -1, string.Empty, -1);

    public static FindCoordinatorRequest Read(ref KafkaReader reader, short version)
    {
        var key = reader.ReadString();
        var keyType = version >= 1 ? reader.ReadInt8() : (sbyte)0;
        return new FindCoordinatorRequest(key, keyType);
    }
}

/// <summary>FindCoordinator v0–2 response: the node that coordinates the key.</summary>
internal sealed class FindCoordinatorResponse(ErrorCode errorCode, string? errorMessage, int nodeId, string host, int port) : Response
{
    public ErrorCode ErrorCode { get; } = errorCode;

    public string? ErrorMessage { get; } = errorMessage;

    public int NodeId { get; } = nodeId;

    public string Host { get; } = host;

    public int Port { get; } = port;

    public override ErrorCode TopLevelError => ErrorCode;

    public override void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16(ErrorCode);
        if (version >= 1)
        {
            writer.WriteNullableString(ErrorMessage);
        }

        writer.WriteInt32(NodeId);
        writer.WriteString(Host);
        writer.WriteInt32(Port);
    }
}
