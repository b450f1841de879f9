namespace SinkIdempotency.Targets.Http;

/// <summary>Names what the HTTP target server does to a request a fault catches.</summary>
public enum HttpTargetFaultKind
{
    /// <summary>Applies the request, then holds the response for the fault's delay (a slow target: the client may time out and retry).</summary>
    DelayResponse,

    /// <summary>Answers the fault's status code without applying the request (a target that is down or overloaded).</summary>
    FailRequest,

    /// <summary>Applies the request, then aborts the connection without answering: the write landed but its reply was lost.</summary>
    DropResponse,
}
