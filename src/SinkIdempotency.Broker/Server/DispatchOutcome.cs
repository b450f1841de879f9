namespace SinkIdempotency.Broker.Server;

/// <summary>The result of dispatching one request: the response to send (null = none) or an order to close the connection.</summary>
internal readonly record struct DispatchOutcome(Response? Response, bool CloseConnection)
{
    public static DispatchOutcome Close => new(null, true);
}
