namespace SinkIdempotency.Proxy;

/// <summary>Names the wire protocol a <see cref="TargetFaultProxy"/> reads on the target's side, to find the reply that makes a write durable.</summary>
public enum TargetWireProtocol
{
    /// <summary>PostgreSQL's frontend/backend protocol: the durable reply is a CommandComplete for a writing <c>COMMIT</c> or an autocommitted write.</summary>
    PostgreSql,

    /// <summary>The MySQL/MariaDB client/server protocol: the durable reply is the OK packet answering a <c>COMMIT</c> after writes, or an autocommitted INSERT, UPDATE, REPLACE or DELETE.</summary>
    MySql,

    /// <summary>HTTP/1.1: the durable reply is a final response with a 2xx status, which an API sends only after it applied the request.</summary>
    Http,
}
