namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>FindCoordinator v0–2 request: the group (KeyType 0) or transactional id (KeyType 1) to locate.</summary>
internal sealed record FindCoordinatorRequest(string Key, sbyte KeyType)
{
    public static FindCoordinatorRequest Read(ref KafkaReader reader, short version)
    {
        var key = reader.ReadString();
        var keyType = version >= 1 ? reader.ReadInt8() : (sbyte)0;
        return new FindCoordinatorRequest(key, keyType);
    }
}

/// <summary>FindCoordinator v0–2 response: the node that coordinates the key.</summary>
internal sealed record FindCoordinatorResponse(ErrorCode ErrorCode, string? ErrorMessage, int NodeId, string Host, int Port)
{
    public void Write(KafkaWriter writer, short version)
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
