using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Faults;

/// <summary>
/// The one control hook before dispatch: matches each decoded request against the injected faults and
/// reports every exchange to the observers.
/// </summary>
internal sealed class FaultInterceptor(BrokerState state)
{
    /// <summary>Looks at a request before it is handled.</summary>
    /// <returns>Null when no fault or observer needs the request (the dispatcher then takes its fast path).</returns>
    public Interception? Intercept(RequestContext context, KafkaRequest request)
    {
        state.ClientConnections.Track(context.ConnectionId, context.ClientId, context.CancellationToken);
        var registry = state.Faults;
        if (!registry.IsActive)
        {
            return null;
        }

        var mayMatch = context.ApiKey != ApiKey.ApiVersions && registry.MayMatch(context.ApiKey);
        if (!mayMatch && !registry.HasObservers)
        {
            return null;
        }

        // The arrival time first: matching counts the request for the fault, and whoever waits for that count may move the
        // broker clock at once (a test advancing it past a held request saw the arrival stamped after the advance).
        var receivedAt = state.TimeProvider.GetUtcNow();
        var facts = request.Describe(Header(context));
        return new Interception(facts, mayMatch ? registry.Match(facts) : null, receivedAt);
    }

    /// <summary>Tells the observers what became of an intercepted request.</summary>
    /// <param name="interception">What <see cref="Intercept"/> returned.</param>
    /// <param name="response">The answer sent, or null when none was sent.</param>
    /// <param name="connectionDropped">Whether the connection was closed instead of answering.</param>
    /// <param name="handled">Whether the broker ran the request's handler (applied its effects).</param>
    public void OnCompleted(Interception interception, Response? response, bool connectionDropped, bool handled)
    {
        var registry = state.Faults;
        if (!registry.HasObservers)
        {
            return;
        }

        registry.Notify(new BrokerExchange(
            interception.Facts,
            response?.TopLevelError,
            OffsetsOf(interception.Facts, response),
            connectionDropped,
            interception.Fault,
            state.TimeProvider.GetUtcNow(),
            handled,
            interception.ReceivedAt));
    }

    /// <summary>Tells the observers that a request could not be decoded and its connection was closed.</summary>
    public void OnMalformed(RequestContext context)
    {
        var registry = state.Faults;
        if (registry.HasObservers)
        {
            var now = state.TimeProvider.GetUtcNow();
            registry.Notify(new BrokerExchange(Header(context), null, [], true, null, now, false, now));
        }
    }

    /// <summary>Returns the facts the request header alone gives.</summary>
    public static BrokerRequest Header(RequestContext context) =>
        new(context.ApiKey, context.ApiVersion, context.CorrelationId, context.ClientId, context.ConnectionId, null, null, null, [], []);

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
}

/// <summary>What the fault hook saw of one request: its facts, the fault that acts on it, if any, and when it arrived.</summary>
internal sealed record Interception(BrokerRequest Facts, BrokerFault? Fault, DateTimeOffset ReceivedAt);
