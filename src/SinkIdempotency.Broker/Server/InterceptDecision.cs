using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Server;

/// <summary>What an <see cref="IRequestInterceptor"/> decided for one request.</summary>
internal sealed class InterceptDecision
{
    private InterceptDecision(InterceptAction action)
    {
        Action = action;
    }

    /// <summary>Gets the decision that lets the request through untouched.</summary>
    public static InterceptDecision Pass { get; } = new(InterceptAction.Pass);

    /// <summary>Gets the decision that closes the connection without answering.</summary>
    public static InterceptDecision DropConnection { get; } = new(InterceptAction.DropConnection);

    /// <summary>Gets the decision that swallows the request: no response is ever sent (the client times out).</summary>
    public static InterceptDecision NoResponse { get; } = new(InterceptAction.NoResponse);

    public InterceptAction Action { get; }

    public ErrorCode Error { get; private init; }

    public Response? Response { get; private init; }

    public TimeSpan Delay { get; private init; }

    public Task? Release { get; private init; }

    /// <summary>Answers with a well-formed response of the request's API carrying <paramref name="error"/> (see <see cref="ErrorResponses"/>).</summary>
    public static InterceptDecision RespondWithError(ErrorCode error) => new(InterceptAction.RespondWithError) { Error = error };

    /// <summary>Answers with the given response instead of running the handler.</summary>
    public static InterceptDecision Respond(Response response) => new(InterceptAction.Respond) { Response = response };

    /// <summary>Waits (on the broker's TimeProvider), then handles the request normally.</summary>
    public static InterceptDecision DelayBy(TimeSpan delay) => new(InterceptAction.Delay) { Delay = delay };

    /// <summary>Holds the request until <paramref name="release"/> completes, then handles it normally.</summary>
    public static InterceptDecision HoldUntil(Task release) => new(InterceptAction.Hold) { Release = release };
}

/// <summary>The kinds of <see cref="InterceptDecision"/>.</summary>
internal enum InterceptAction
{
    Pass,
    RespondWithError,
    Respond,
    Delay,
    Hold,
    DropConnection,
    NoResponse,
}
