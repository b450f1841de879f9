namespace SinkIdempotency.Targets.Http;

/// <summary>Describes a misbehaviour of the HTTP target server for the next requests it catches.</summary>
public sealed record HttpTargetFault
{
    /// <summary>Gets what the server does to a caught request.</summary>
    /// <value>Set by the factory methods.</value>
    public required HttpTargetFaultKind Kind { get; init; }

    /// <summary>Gets how long a <see cref="HttpTargetFaultKind.DelayResponse"/> fault holds the response.</summary>
    /// <value><see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan Delay { get; init; }

    /// <summary>Gets the status code a <see cref="HttpTargetFaultKind.FailRequest"/> fault answers.</summary>
    /// <value>503 (Service Unavailable).</value>
    public int StatusCode { get; init; } = 503;

    /// <summary>Gets how many requests the fault catches, or <see langword="null"/> to catch every request until the faults are cleared.</summary>
    /// <value>1: the next request only.</value>
    public int? Times { get; init; } = 1;

    /// <summary>Creates a fault that applies requests and answers them only after a delay.</summary>
    /// <param name="delay">How long each response is held.</param>
    /// <param name="times">How many requests to catch; <see langword="null"/> for all until cleared.</param>
    /// <returns>The fault.</returns>
    public static HttpTargetFault DelayResponse(TimeSpan delay, int? times = 1) =>
        new() { Kind = HttpTargetFaultKind.DelayResponse, Delay = delay, Times = times };

    /// <summary>Creates a fault that answers an error status without applying requests.</summary>
    /// <param name="statusCode">The status code to answer.</param>
    /// <param name="times">How many requests to catch; <see langword="null"/> for all until cleared.</param>
    /// <returns>The fault.</returns>
    public static HttpTargetFault FailRequest(int statusCode = 503, int? times = 1) =>
        new() { Kind = HttpTargetFaultKind.FailRequest, StatusCode = statusCode, Times = times };

    /// <summary>Creates a fault that applies requests and then aborts their connections without a response.</summary>
    /// <param name="times">How many requests to catch; <see langword="null"/> for all until cleared.</param>
    /// <returns>The fault.</returns>
    public static HttpTargetFault DropResponse(int? times = 1) =>
        new() { Kind = HttpTargetFaultKind.DropResponse, Times = times };

    /// <summary>Checks the fault and throws when it cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when the delay is negative, the status code is not an error, or the count is not positive.</exception>
    public void Validate()
    {
        if (Delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "A response delay cannot be negative; use TimeSpan.Zero or more.");
        }

        if (Kind == HttpTargetFaultKind.FailRequest && StatusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(StatusCode), StatusCode, "A failing response needs an error status code between 400 and 599.");
        }

        if (Times is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Times), Times, "A fault must catch at least one request; use null to catch every request until cleared.");
        }
    }
}
