namespace SinkIdempotency.Broker.Server;

/// <summary>
/// The dispatcher's single fault-injection hook: consulted before every supported request is
/// dispatched and told about every response afterwards.
/// </summary>
/// <remarks>
/// broker-core ships <see cref="NoOpRequestInterceptor"/>; broker-groups replaces it (through
/// <see cref="RequestDispatcher.Interceptor"/>) with the rule chain of the public fault API.
/// </remarks>
internal interface IRequestInterceptor
{
    /// <summary>Decides what happens to the request before its handler runs.</summary>
    ValueTask<InterceptDecision> InterceptAsync(RequestContext context);

    /// <summary>Observes the outcome: the response sent (null when none is sent) or that the connection was dropped.</summary>
    void OnCompleted(RequestContext context, Response? response, bool connectionDropped);
}
