namespace SinkIdempotency.Faults;

/// <summary>Chooses which target responses <see cref="TargetTimeout"/> withholds.</summary>
public enum TargetTimeoutMode
{
    /// <summary>Withholds the target's next reply that makes a write durable: the write commits, the sink never hears so, times out and writes again.</summary>
    /// <remarks>
    /// The precise form of the failure (a withheld reply to a statement inside a transaction only rolls the transaction
    /// back). The proxy reads the server's replies, not the client's requests: the CommandComplete of a <c>COMMIT</c> that
    /// ends a transaction which wrote (however the driver sent it: simple query, or pgjdbc's prepared statement), or of
    /// an <c>INSERT</c>/<c>UPDATE</c>/<c>DELETE</c>/<c>COPY</c>/<c>MERGE</c> the server autocommitted. See
    /// <see cref="Proxy.TargetFaultProxy.WithholdNextDurableWriteReply"/>.
    /// </remarks>
    CommitResponse,

    /// <summary>Withholds every response on the next connection that sends a request, then lets new connections pass.</summary>
    NextResponse,

    /// <summary>Withholds every response on every connection for <see cref="TargetTimeoutOptions.Duration"/>.</summary>
    AllResponses,
}
