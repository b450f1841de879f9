namespace SinkIdempotency.Faults;

/// <summary>Chooses which target responses <see cref="TargetTimeout"/> withholds.</summary>
public enum TargetTimeoutMode
{
    /// <summary>Withholds the reply to the next PostgreSQL <c>COMMIT</c>: the transaction is durable, the sink never hears so, times out and writes again.</summary>
    /// <remarks>The precise form of the failure: a withheld reply to a statement inside a transaction only rolls the transaction back.</remarks>
    CommitResponse,

    /// <summary>Withholds every response on the next connection that sends a request, then lets new connections pass.</summary>
    NextResponse,

    /// <summary>Withholds every response on every connection for <see cref="TargetTimeoutOptions.Duration"/>.</summary>
    AllResponses,
}
