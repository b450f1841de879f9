namespace SinkIdempotency.Broker.Server;

/// <summary>Lets every request through; the default until the fault API installs its own interceptor.</summary>
internal sealed class NoOpRequestInterceptor : IRequestInterceptor
{
    public static NoOpRequestInterceptor Instance { get; } = new();

    private static readonly ValueTask<InterceptDecision> PassResult = ValueTask.FromResult(InterceptDecision.Pass);

    public ValueTask<InterceptDecision> InterceptAsync(RequestContext context) => PassResult;

    public void OnCompleted(RequestContext context, Response? response, bool connectionDropped)
    {
    }
}
