using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Server;

/// <summary>One Kafka API the broker serves: its key and versions, how its body is read, and what handling it does.</summary>
/// <remarks>Implement it through <see cref="ApiHandler{TRequest}"/>, one file per API in <c>Handlers/</c>, and list it in <c>Handlers/ApiTable.cs</c>.</remarks>
internal interface IApiHandler
{
    /// <summary>Gets the API's key, its served versions and its first flexible version.</summary>
    ApiVersionRange Versions { get; }

    /// <summary>Decodes the request body once; the result is what faults match, error answers echo and the handler uses.</summary>
    /// <exception cref="ProtocolException">The body is malformed (the connection is then closed).</exception>
    KafkaRequest Read(RequestContext context);

    /// <summary>Handles the request; a null response means "send nothing" (Produce with acks=0).</summary>
    /// <remarks>
    /// The synchronous part runs on the connection's reader in arrival order (Produce relies on this for
    /// idempotent sequences); a handler that waits (long-poll Fetch, JoinGroup) returns a pending task and
    /// the reader moves on. Throwing <see cref="ProtocolException"/> closes the connection.
    /// </remarks>
    ValueTask<Response?> HandleAsync(KafkaRequest request, RequestContext context);
}
