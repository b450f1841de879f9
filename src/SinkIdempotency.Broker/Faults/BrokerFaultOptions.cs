using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Configures one injected fault: which requests it matches, what it does and how often.</summary>
/// <remarks>
/// Every matcher that is set must match (they are combined with AND). Faults are tried in the order they
/// were injected; the first one that matches acts and the rest are not consulted for that request.
/// </remarks>
public sealed class BrokerFaultOptions
{
    /// <summary>Gets the API the fault matches.</summary>
    /// <value>Null: every API (ApiVersions is never intercepted).</value>
    public ApiKey? ApiKey { get; init; }

    /// <summary>Gets the consumer group the request must name.</summary>
    /// <value>Null: any group, or none.</value>
    public string? GroupId { get; init; }

    /// <summary>Gets a topic the request must name.</summary>
    /// <value>Null: any topic, or none.</value>
    public string? Topic { get; init; }

    /// <summary>Gets the client id the request header must carry.</summary>
    /// <value>Null: any client.</value>
    public string? ClientId { get; init; }

    /// <summary>Gets an extra predicate over the parsed request.</summary>
    /// <value>Null: no extra condition.</value>
    public Func<BrokerRequest, bool>? Predicate { get; init; }

    /// <summary>Gets what the fault does to a matching request.</summary>
    /// <value><see cref="BrokerFaultAction.RespondWithError"/>.</value>
    public BrokerFaultAction Action { get; init; } = BrokerFaultAction.RespondWithError;

    /// <summary>Gets when the fault acts: before the request is handled, or after the broker has applied it.</summary>
    /// <value><see cref="BrokerFaultTiming.BeforeHandling"/>.</value>
    /// <remarks>
    /// <see cref="BrokerFaultTiming.AfterHandling"/> is the broker-side twin of a lost target response: an
    /// OffsetCommit answered with <see cref="ErrorCode.RequestTimedOut"/>, or whose connection is dropped or whose
    /// answer is held past the client's timeout, although the broker stored the offsets.
    /// </remarks>
    public BrokerFaultTiming Timing { get; init; } = BrokerFaultTiming.BeforeHandling;

    /// <summary>Gets the error code answered by <see cref="BrokerFaultAction.RespondWithError"/>.</summary>
    /// <value><see cref="ErrorCode.UnknownServerError"/>.</value>
    public ErrorCode Error { get; init; } = ErrorCode.UnknownServerError;

    /// <summary>Gets how long <see cref="BrokerFaultAction.Delay"/> waits before handling the request.</summary>
    /// <value>One second.</value>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how many matching requests the fault acts on before it removes itself; 0 makes it sticky (until removed).</summary>
    /// <value>1 (one-shot, as kfake controls are by default).</value>
    public int Times { get; init; } = 1;

    /// <summary>Checks the options and throws an <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Times < 0)
        {
            throw new ArgumentException($"Times must be 0 (sticky) or positive, not {Times}.", nameof(Times));
        }

        if (Action == BrokerFaultAction.Delay && Delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"Delay must not be negative, not {Delay}.", nameof(Delay));
        }

        if (Action == BrokerFaultAction.RespondWithError && Error == ErrorCode.None)
        {
            throw new ArgumentException("RespondWithError needs an error code other than None; set Error.", nameof(Error));
        }

        if (!Enum.IsDefined(Timing))
        {
            throw new ArgumentException($"Timing must be BeforeHandling or AfterHandling, not {Timing}.", nameof(Timing));
        }

        if (!Enum.IsDefined(Action))
        {
            throw new ArgumentException($"Action must be one of {string.Join(", ", Enum.GetNames<BrokerFaultAction>())}, not {Action}.", nameof(Action));
        }

        if (ApiKey == Protocol.ApiKey.ApiVersions)
        {
            throw new ArgumentException("ApiVersions cannot be intercepted: clients need it to connect at all; intercept the API you mean instead.", nameof(ApiKey));
        }
    }
}
