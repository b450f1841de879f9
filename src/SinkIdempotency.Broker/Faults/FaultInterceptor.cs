using System.Runtime.CompilerServices;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Faults;

/// <summary>
/// The dispatcher hook of the fault API: matches each request against the injected faults, turns the
/// first match into an <see cref="InterceptDecision"/>, and reports every exchange to the observers.
/// </summary>
internal sealed class FaultInterceptor(BrokerState state) : IRequestInterceptor
{
    private static readonly ValueTask<InterceptDecision> PassResult = ValueTask.FromResult(InterceptDecision.Pass);

    private readonly ConditionalWeakTable<RequestContext, InFlight> _inFlight = [];

    public ValueTask<InterceptDecision> InterceptAsync(RequestContext context)
    {
        state.ClientConnections.Track(context.ConnectionId, context.ClientId, context.CancellationToken);
        var registry = state.Faults;
        if (!registry.IsActive)
        {
            return PassResult;
        }

        var mayMatch = context.ApiKey != ApiKey.ApiVersions && registry.MayMatch(context.ApiKey);
        if (!mayMatch && !registry.HasObservers)
        {
            return PassResult;
        }

        var facts = RequestFacts.Parse(context.ApiKey, context.ApiVersion, context.CorrelationId, context.ClientId, context.ConnectionId, context.Body.Span);
        var fault = mayMatch ? registry.Match(facts) : null;
        _inFlight.AddOrUpdate(context, new InFlight(facts, fault));
        if (fault is null)
        {
            return PassResult;
        }

        var options = fault.Options;
        return ValueTask.FromResult(options.Action switch
        {
            BrokerFaultAction.RespondWithError => InterceptDecision.RespondWithError(options.Error),
            BrokerFaultAction.Delay => InterceptDecision.DelayBy(options.Delay),
            BrokerFaultAction.Hold => InterceptDecision.HoldUntil(fault.ReleasedTask),
            _ => InterceptDecision.DropConnection,
        });
    }

    public void OnCompleted(RequestContext context, Response? response, bool connectionDropped)
    {
        if (!_inFlight.TryGetValue(context, out var inFlight))
        {
            return;
        }

        _inFlight.Remove(context);
        var registry = state.Faults;
        if (!registry.HasObservers)
        {
            return;
        }

        registry.Notify(new BrokerExchange(
            inFlight.Facts,
            response?.TopLevelError,
            OffsetsOf(inFlight.Facts, response),
            connectionDropped,
            inFlight.Fault,
            state.TimeProvider.GetUtcNow()));
    }

    private static IReadOnlyList<BrokerPartitionOffset> OffsetsOf(BrokerRequest request, Response? response)
    {
        switch (response)
        {
            case OffsetCommitResponse commit:
                {
                    var errors = commit.Topics
                        .SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.ErrorCode)))
                        .ToDictionary(e => (e.Name, e.PartitionIndex), e => e.ErrorCode);
                    return [.. request.Offsets.Select(o => o with { Error = errors.TryGetValue((o.Topic, o.Partition), out var e) ? e : null })];
                }

            case OffsetFetchResponse fetch:
                return [.. fetch.Topics.SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p.PartitionIndex, p.CommittedOffset, p.Metadata, p.ErrorCode)))];

            case OffsetDeleteResponse delete:
                return [.. delete.Topics.SelectMany(t => t.Partitions.Select(p => new BrokerPartitionOffset(t.Name, p.PartitionIndex, -1, null, p.ErrorCode)))];

            default:
                return request.Offsets;
        }
    }

    private sealed record InFlight(BrokerRequest Facts, BrokerFault? Fault);
}
