namespace SinkIdempotency.Faults;

/// <summary>Chooses which target responses <see cref="TargetTimeout"/> withholds.</summary>
public enum TargetTimeoutMode
{
    /// <summary>Withholds every response on the next connection that sends a request, then lets new connections pass.</summary>
    NextResponse,

    /// <summary>Withholds every response on every connection for <see cref="TargetTimeoutOptions.Duration"/>.</summary>
    AllResponses,
}
