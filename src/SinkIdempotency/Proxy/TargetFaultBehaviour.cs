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

    /// <summary>Blackholes the first connection on which the target replies that a write is durable: that reply and everything after it are discarded; then the proxy returns to <see cref="Pass"/>.</summary>
    /// <remarks>
    /// The durable reply depends on <see cref="TargetFaultProxyOptions.Protocol"/>. PostgreSQL: the CommandComplete for a
    /// <c>COMMIT</c> that ended a writing transaction, or for an autocommitted write (an implicit transaction ending at its
    /// Sync). MySQL/MariaDB: the OK packet, with no transaction left open, that answers a <c>COMMIT</c> after writes in the
    /// transaction or an autocommitted <c>INSERT</c>/<c>UPDATE</c>/<c>REPLACE</c>/<c>DELETE</c> (text or prepared) that
    /// changed rows. In both, what the server sent before that reply still reaches the client, a rollback or a failed
    /// statement is never the trigger, and a connection using TLS (or MySQL compression) is opaque and passes unchanged.
    /// </remarks>
    WithholdDurableWriteReply,

    /// <summary>Resets (TCP RST) every open connection and every new connection as soon as it is accepted.</summary>
    ResetConnections,

    /// <summary>Stops listening, so new connections are refused by the operating system; open connections keep flowing.</summary>
    RefuseConnections,
}
