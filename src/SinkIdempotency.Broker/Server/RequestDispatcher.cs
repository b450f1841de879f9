using Microsoft.Extensions.Logging;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// Routes decoded requests to their handlers by API key, runs the fault-injection hook around them
/// and turns handler failures into error answers or a closed connection.
/// </summary>
internal sealed partial class RequestDispatcher
{
    private readonly Dictionary<ApiKey, IRequestHandler> _handlers = [];
    private readonly BrokerState _state;
    private readonly ILogger _logger;

    public RequestDispatcher(BrokerState state)
    {
        _state = state;
        _logger = state.CreateLogger<RequestDispatcher>();
    }

    /// <summary>Gets or sets the fault-injection hook (a no-op until the fault API replaces it).</summary>
    public IRequestInterceptor Interceptor { get; set; } = NoOpRequestInterceptor.Instance;

    /// <summary>Gets the APIs advertised in ApiVersions: the ones that have a handler, in key order.</summary>
    public IReadOnlyList<ApiVersionRange> AdvertisedApis { get; private set; } = [];

    /// <summary>Registers the handlers of part 1 and then those of part 2 (consumer groups).</summary>
    public void RegisterAll(IEnumerable<(ApiKey Key, IRequestHandler Handler)> coreHandlers)
    {
        foreach (var (key, handler) in coreHandlers)
        {
            Register(key, handler);
        }

        RegisterGroupHandlers(_state);
    }

    public void Register(ApiKey key, IRequestHandler handler)
    {
        if (!ApiVersionTable.TryGet(key, out _))
        {
            throw new ArgumentException($"API {key} has no entry in ApiVersionTable; add its version range first.", nameof(key));
        }

        _handlers[key] = handler;
        var advertised = new List<ApiVersionRange>(_handlers.Count);
        foreach (var range in ApiVersionTable.All)
        {
            if (_handlers.ContainsKey(range.Key))
            {
                advertised.Add(range);
            }
        }

        advertised.Sort(static (a, b) => ((short)a.Key).CompareTo((short)b.Key));
        AdvertisedApis = advertised;
    }

    /// <summary>Tells whether a handler exists for the key and the version is within its advertised range.</summary>
    public bool IsSupported(ApiKey key, short version) =>
        _handlers.ContainsKey(key) && ApiVersionTable.TryGet(key, out var range) && range.Contains(version);

    /// <summary>Dispatches a supported request; never throws.</summary>
    public ValueTask<DispatchOutcome> DispatchAsync(RequestContext context)
    {
        var handler = _handlers[context.ApiKey];
        var interceptor = Interceptor;
        if (interceptor is NoOpRequestInterceptor)
        {
            try
            {
                var pending = handler.HandleAsync(context);
                if (pending.IsCompletedSuccessfully)
                {
                    return ValueTask.FromResult(new DispatchOutcome(pending.Result, false));
                }

                return AwaitHandlerAsync(context, pending);
            }
            catch (Exception ex)
            {
                return ValueTask.FromResult(Fail(context, ex));
            }
        }

        return InterceptAndDispatchAsync(context, handler, interceptor);
    }

    /// <summary>Registers the consumer-group handlers (implemented by broker-groups in RequestDispatcher.Groups.cs).</summary>
    partial void RegisterGroupHandlers(BrokerState state);

    private async ValueTask<DispatchOutcome> AwaitHandlerAsync(RequestContext context, ValueTask<Response?> pending)
    {
        try
        {
            return new DispatchOutcome(await pending.ConfigureAwait(false), false);
        }
        catch (Exception ex)
        {
            return Fail(context, ex);
        }
    }

    private async ValueTask<DispatchOutcome> InterceptAndDispatchAsync(RequestContext context, IRequestHandler handler, IRequestInterceptor interceptor)
    {
        DispatchOutcome outcome;
        try
        {
            var decision = await interceptor.InterceptAsync(context).ConfigureAwait(false);
            switch (decision.Action)
            {
                case InterceptAction.DropConnection:
                    outcome = DispatchOutcome.Close;
                    break;
                case InterceptAction.NoResponse:
                    outcome = new DispatchOutcome(null, false);
                    break;
                case InterceptAction.Respond:
                    outcome = new DispatchOutcome(decision.Response, false);
                    break;
                case InterceptAction.RespondWithError:
                    outcome = new DispatchOutcome(ErrorResponses.Build(context.ApiKey, context.ApiVersion, context.Body.Span, decision.Error, _state), false);
                    break;
                default:
                    if (decision.Action == InterceptAction.Delay && decision.Delay > TimeSpan.Zero)
                    {
                        await DelayAtLeast.WaitAsync(decision.Delay, _state.TimeProvider, context.CancellationToken).ConfigureAwait(false);
                    }
                    else if (decision.Action == InterceptAction.Hold && decision.Release is { } release)
                    {
                        await release.WaitAsync(context.CancellationToken).ConfigureAwait(false);
                    }

                    outcome = new DispatchOutcome(await handler.HandleAsync(context).ConfigureAwait(false), false);
                    break;
            }
        }
        catch (Exception ex)
        {
            outcome = Fail(context, ex);
        }

        try
        {
            interceptor.OnCompleted(context, outcome.Response, outcome.CloseConnection);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Request observer failed for {Request}", context);
        }

        return outcome;
    }

    private DispatchOutcome Fail(RequestContext context, Exception ex)
    {
        switch (ex)
        {
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return DispatchOutcome.Close;
            case ProtocolException:
                _logger.LogWarning("Closing connection {ConnectionId}: malformed {Request}: {Reason}", context.ConnectionId, context, ex.Message);
                return DispatchOutcome.Close;
            default:
                _logger.LogError(ex, "Handler failed for {Request}; answering UNKNOWN_SERVER_ERROR", context);
                try
                {
                    return new DispatchOutcome(ErrorResponses.Build(context.ApiKey, context.ApiVersion, context.Body.Span, ErrorCode.UnknownServerError, _state), false);
                }
                catch (Exception)
                {
                    return DispatchOutcome.Close;
                }
        }
    }
}
