namespace SinkIdempotency.Targets.Http;

/// <summary>Says what the HTTP target server did with a request's content.</summary>
public enum HttpRequestOutcome
{
    /// <summary>The request was applied: its body is one of the server's records.</summary>
    Applied,

    /// <summary>The request repeated an idempotency key already applied and keys are honoured, so it was not applied again.</summary>
    DuplicateIgnored,

    /// <summary>A fault answered an error status; nothing was applied.</summary>
    Failed,

    /// <summary>The request was not a POST; nothing was applied.</summary>
    Rejected,
}
