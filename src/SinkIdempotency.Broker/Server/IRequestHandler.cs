namespace SinkIdempotency.Broker.Server;

/// <summary>Handles one API: decodes the request body and produces its response.</summary>
internal interface IRequestHandler
{
    /// <summary>Handles the request; a null response means "send nothing" (Produce with acks=0).</summary>
    /// <remarks>
    /// The synchronous part runs on the connection's reader in arrival order (Produce relies on this for
    /// idempotent sequences); a handler that waits (long-poll Fetch, JoinGroup) returns a pending task and
    /// the reader moves on. Throwing <see cref="Protocol.ProtocolException"/> closes the connection.
    /// </remarks>
    ValueTask<Response?> HandleAsync(RequestContext context);
}
