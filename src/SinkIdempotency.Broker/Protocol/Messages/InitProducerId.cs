using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>InitProducerId request (v0–1).</summary>
internal sealed record InitProducerIdRequest(string? TransactionalId, int TransactionTimeoutMs) : KafkaRequest, IKafkaRequest<InitProducerIdRequest>
{
    public override Response ErrorResponse(ErrorCode error, BrokerState state) => new InitProducerIdResponse(error, -1, -1);

    public static InitProducerIdRequest Read(ref KafkaReader reader, short version) =>
        new(reader.ReadNullableString(), reader.ReadInt32());
}

/// <summary>InitProducerId response (v0–1).</summary>
internal sealed class InitProducerIdResponse(ErrorCode error, long producerId, short producerEpoch) : Response
{
    public ErrorCode Error { get; } = error;

    public long ProducerId { get; } = producerId;

    public short ProducerEpoch { get; } = producerEpoch;

    public override ErrorCode TopLevelError => Error;

    public override void Write(KafkaWriter writer, short version)
    {
        writer.WriteInt32(0);
        writer.WriteInt16(Error);
        writer.WriteInt64(ProducerId);
        writer.WriteInt16(ProducerEpoch);
    }
}
