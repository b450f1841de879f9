namespace SinkIdempotency.Proxy;

/// <summary>Names what a <see cref="TargetFaultProxy"/> currently does to the traffic between clients and the target.</summary>
public enum TargetFaultBehaviour
{
    /// <summary>Forwards bytes both ways unchanged.</summary>
    Pass,

    /// <summary>Delays every chunk the target sends by a fixed latency; client bytes pass at once.</summary>
    Latency,

    /// <summary>Forwards client bytes to the target but discards everything the target sends, on every connection, until switched off.</summary>
    WithholdResponses,

    /// <summary>Blackholes only the connection that next sends bytes: its request reaches the target, its reply and everything after it are discarded; then the proxy returns to <see cref="Pass"/>.</summary>
    WithholdNextResponse,

    /// <summary>Blackholes the first connection on which the target replies that a write is durable (PostgreSQL's CommandComplete for a <c>COMMIT</c> that ended a writing transaction, or for an autocommitted write): that reply and everything after it are discarded; then the proxy returns to <see cref="Pass"/>.</summary>
    WithholdDurableWriteReply,

    /// <summary>Resets (TCP RST) every open connection and every new connection as soon as it is accepted.</summary>
    ResetConnections,

    /// <summary>Stops listening, so new connections are refused by the operating system; open connections keep flowing.</summary>
    RefuseConnections,
}
