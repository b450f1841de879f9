using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>
/// A decoded request body. Besides its fields it knows what the fault API matches on and how its API
/// answers with an error, so a body is parsed once and every consumer works on the same record.
/// </summary>
internal abstract record KafkaRequest
{
    /// <summary>Adds the group, member, generation, topics and offsets this request names to the header facts.</summary>
    /// <param name="header">The facts of the request header.</param>
    /// <returns>The header facts with this request's own facts.</returns>
    public virtual BrokerRequest Describe(BrokerRequest header) => header;

    /// <summary>Builds a well-formed answer carrying <paramref name="error"/> in every place the API has an error code.</summary>
    /// <param name="error">The error code.</param>
    /// <param name="state">The broker state (Metadata's error answer still lists this broker).</param>
    /// <returns>The answer, or null when the API sends none (Produce with acks=0).</returns>
    public abstract Response? ErrorResponse(ErrorCode error, BrokerState state);
}

/// <summary>Decodes a request of type <typeparamref name="TSelf"/> from its body.</summary>
/// <typeparam name="TSelf">The request record.</typeparam>
internal interface IKafkaRequest<TSelf>
    where TSelf : KafkaRequest
{
    /// <summary>Reads the body of the given version.</summary>
    /// <exception cref="ProtocolException">The body is malformed.</exception>
    static abstract TSelf Read(ref KafkaReader reader, short version);
}
