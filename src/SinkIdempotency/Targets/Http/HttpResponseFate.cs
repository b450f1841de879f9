namespace SinkIdempotency.Targets.Http;

/// <summary>Says what happened to the response of a request the HTTP target server received.</summary>
public enum HttpResponseFate
{
    /// <summary>The response was sent at once.</summary>
    Sent,

    /// <summary>The response was held for a delay before it was sent (the client may have given up meanwhile).</summary>
    Delayed,

    /// <summary>The connection was aborted instead of answering.</summary>
    Dropped,
}
