using Microsoft.Extensions.Logging;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Handlers;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Broker.Server;

/// <summary>
/// Decodes each request body once, offers it to the fault hook, routes it to its handler from the
/// <see cref="ApiTable"/>, and turns handler failures into error answers or a closed connection.
/// </summary>
internal sealed class RequestDispatcher
{
    private readonly BrokerState _state;
    private readonly FaultInterceptor _faults;
    private readonly ILogger _logger;

    public RequestDispatcher(BrokerState state)
    {
        _state = state;
        _faults = new FaultInterceptor(state);
        _logger = state.CreateLogger<RequestDispatcher>();
        Apis = new ApiTable(state);
    }

    /// <summary>Gets the APIs served, with their versions.</summary>
    public ApiTable Apis { get; }

    /// <summary>Dispatches a request whose (key, version) the table serves; never throws.</summary>
    public ValueTask<DispatchOutcome> DispatchAsync(RequestContext context)
    {
        var handler = Apis.Find(context.ApiKey) ?? throw new InvalidOperationException($"{context} has no handler; check IsSupported first.");
        KafkaRequest request;
        try
        {
            request = handler.Read(context);
        }
        catch (ProtocolException ex)
        {
            _logger.LogWarning("Closing connection {ConnectionId}: malformed {Request}: {Reason}", context.ConnectionId, context, ex.Message);
            _faults.OnMalformed(context);
            return ValueTask.FromResult(DispatchOutcome.Close);
        }

        if (_faults.Intercept(context, request) is { } interception)
        {
            return InterceptAndDispatchAsync(context, handler, request, interception);
        }

        try
        {
            var pending = handler.HandleAsync(request, context);
            return pending.IsCompletedSuccessfully
                ? ValueTask.FromResult(new DispatchOutcome(pending.Result, false))
                : AwaitHandlerAsync(context, request, pending);
        }
        catch (Exception ex)
        {
            return ValueTask.FromResult(Fail(context, request, ex));
        }
    }

    private async ValueTask<DispatchOutcome> AwaitHandlerAsync(RequestContext context, KafkaRequest request, ValueTask<Response?> pending)
    {
        try
        {
            return new DispatchOutcome(await pending.ConfigureAwait(false), false);
        }
        catch (Exception ex)
        {
            return Fail(context, request, ex);
        }
    }

    private async ValueTask<DispatchOutcome> InterceptAndDispatchAsync(RequestContext context, IApiHandler handler, KafkaRequest request, Interception interception)
    {
        DispatchOutcome outcome;
        var handled = false;
        try
        {
            var fault = interception.Fault?.Options;
            if (fault is { Timing: BrokerFaultTiming.BeforeHandling, Action: BrokerFaultAction.RespondWithError })
            {
                outcome = new DispatchOutcome(request.ErrorResponse(fault.Error, _state), false);
            }
            else if (fault is { Timing: BrokerFaultTiming.BeforeHandling, Action: BrokerFaultAction.DropConnection })
            {
                outcome = DispatchOutcome.Close;
            }
            else
            {
                if (fault?.Timing == BrokerFaultTiming.BeforeHandling)
                {
                    await WaitAsync(interception.Fault!, context).ConfigureAwait(false);
                }

                var response = await handler.HandleAsync(request, context).ConfigureAwait(false);
                handled = true;
                outcome = fault switch
                {
                    null or { Timing: BrokerFaultTiming.BeforeHandling } => new DispatchOutcome(response, false),
                    { Action: BrokerFaultAction.RespondWithError } => new DispatchOutcome(request.ErrorResponse(fault.Error, _state), false),
                    { Action: BrokerFaultAction.DropConnection } => DispatchOutcome.Close,
                    _ => await WaitThenAsync(interception.Fault!, context, response).ConfigureAwait(false),
                };
            }
        }
        catch (Exception ex)
        {
            outcome = Fail(context, request, ex);
        }

        try
        {
            _faults.OnCompleted(interception, outcome.Response, outcome.CloseConnection, handled);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Request observer failed for {Request}", context);
        }

        return outcome;
    }

    private async ValueTask<DispatchOutcome> WaitThenAsync(BrokerFault fault, RequestContext context, Response? response)
    {
        await WaitAsync(fault, context).ConfigureAwait(false);
        return new DispatchOutcome(response, false);
    }

    /// <summary>Waits as a Delay or Hold fault says: the delay on the broker's clock, or until released; a closed connection ends the wait.</summary>
    private Task WaitAsync(BrokerFault fault, RequestContext context) => fault.Options.Action switch
    {
        BrokerFaultAction.Delay when fault.Options.Delay > TimeSpan.Zero => DelayAtLeast.WaitAsync(fault.Options.Delay, _state.TimeProvider, context.CancellationToken),
        BrokerFaultAction.Hold => fault.ReleasedTask.WaitAsync(context.CancellationToken),
        _ => Task.CompletedTask,
    };

    private DispatchOutcome Fail(RequestContext context, KafkaRequest request, Exception ex)
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
                    return new DispatchOutcome(request.ErrorResponse(ErrorCode.UnknownServerError, _state), false);
                }
                catch (Exception)
                {
                    return DispatchOutcome.Close;
                }
        }
    }
}
