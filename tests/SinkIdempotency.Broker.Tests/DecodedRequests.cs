using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Handlers;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Tests;

/// <summary>Decodes request bodies the way the broker does (through its API table), without a connection.</summary>
internal static class DecodedRequests
{
    /// <summary>Gets the state the decoded requests' error answers are built with.</summary>
    public static BrokerState State { get; } = new(new KafkaBrokerOptions());

    private static ApiTable Apis { get; } = new(State);

    public static KafkaRequest Read(ApiKey key, short version, ReadOnlyMemory<byte> body) => Apis.Find(key)!.Read(Context(key, version, body, 1, "test", 1));

    /// <summary>Decodes a body and returns the facts the fault API matches on, as the broker's fault hook builds them.</summary>
    public static BrokerRequest Describe(ApiKey key, short version, ReadOnlyMemory<byte> body, int correlationId, string? clientId, long connectionId)
    {
        var context = Context(key, version, body, correlationId, clientId, connectionId);
        return Apis.Find(key)!.Read(context).Describe(FaultInterceptor.Header(context));
    }

    /// <summary>Decodes a whole request frame as built by <see cref="Server.RequestFrames"/>: size, header, body.</summary>
    public static KafkaRequest ReadFrame(byte[] frame, out short version)
    {
        var reader = new KafkaReader(frame.AsSpan(4));
        var key = (ApiKey)reader.ReadInt16();
        version = reader.ReadInt16();
        reader.ReadInt32();
        reader.ReadNullableString();
        if (Apis.IsFlexible(key, version))
        {
            reader.SkipTaggedFields();
        }

        return Read(key, version, frame.AsMemory(4 + reader.Position));
    }

    private static RequestContext Context(ApiKey key, short version, ReadOnlyMemory<byte> body, int correlationId, string? clientId, long connectionId) =>
        new(key, version, correlationId, clientId, connectionId, null, body, CancellationToken.None);
}
