using System.Collections.Concurrent;
using System.Globalization;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Faults;

/// <summary>Lets the broker hold the sink consumers' fetches of the scenario's topic for a bounded time, well past the consumers' fetch wait, then serve them.</summary>
/// <remarks>
/// <para>
/// The broker parks every Fetch of the topic sent by a sink task's consumer (client id <c>connector-consumer-&lt;connector&gt;-&lt;task&gt;</c>,
/// as Kafka Connect names them) for <see cref="FetchStallOptions.Duration"/>, then answers each from the log as it stands. Other
/// requests are served: the consumers' heartbeats and offset commits go to the group coordinator on connections of their own,
/// so the group stays stable, and the harness's own reads are not held.
/// </para>
/// <para>
/// A stalled fetch only delays delivery: a correct worker keeps polling, keeps committing what it has written, and resumes
/// where it stopped, so neither a plain insert nor an upsert loses or repeats anything (both green). A worker that treats
/// the stall as a failure (restarts the task, leaves the group, seeks to its committed offsets) re-delivers records, which a
/// plain insert shows as duplicates. Each held fetch is recorded with its client, topics and how long it was held (action
/// <c>held-fetch</c>), beside the target's row count when the stall began and when it ended.
/// </para>
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class FetchStall(FetchStallOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public FetchStallOptions Options { get; } = Validated(options ?? new FetchStallOptions());

    /// <inheritdoc />
    public override string Name => "fetch-stall";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.BrokerFaults;

    /// <inheritdoc />
    public override string? MissingCapabilityReason(EnvironmentCapabilities available) =>
        BrokerSide.MissingReason(Name, "hold a consumer's fetches and serve them later", RequiredCapabilities & ~available)
            ?? base.MissingCapabilityReason(available);

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var broker = BrokerSide.BrokerOf(context);
        var topic = context.Names.Topic;
        var clients = $"connector-consumer-{context.Names.Connector}-";
        var held = new ConcurrentQueue<BrokerExchange>();
        using var observer = broker.ObserveRequests(exchange =>
        {
            if (exchange.Request.ApiKey == ApiKey.Fetch && exchange.Fault is not null && exchange.Request.Topics.Contains(topic, StringComparer.Ordinal))
            {
                held.Enqueue(exchange);
            }
        });

        if (await BrokerSide.WaitForTargetRowsAsync(context, Options.AfterTargetRows, Options.TriggerTimeout, "no fetch was held", cancellationToken).ConfigureAwait(false) is { } gaveUp)
        {
            return gaveUp;
        }

        var fault = broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.Fetch,
            Topic = topic,
            Predicate = request => request.ClientId?.StartsWith(clients, StringComparison.Ordinal) == true,
            Timing = BrokerFaultTiming.BeforeHandling,
            Action = BrokerFaultAction.Hold,
            Times = 0,
        });
        context.Record("stall-fetches", string.Create(CultureInfo.InvariantCulture, $"The broker holds every Fetch of {topic} from the clients {clients}* for {Options.Duration.TotalSeconds:0.###} s from the first one, then serves them."));
        long rowsAtStart;
        DateTimeOffset started;
        try
        {
            var seen = await context.WaitUntilAsync(_ => Task.FromResult(fault.MatchCount > 0), Options.TriggerTimeout, cancellationToken).ConfigureAwait(false);
            if (!seen)
            {
                return BrokerSide.GaveUp(context, string.Create(CultureInfo.InvariantCulture, $"No Fetch of {topic} from the clients {clients}* came within {Options.TriggerTimeout.TotalSeconds:0.#} s, so none was held."));
            }

            started = context.Now;
            rowsAtStart = await context.CountTargetRowsAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Options.Duration, context.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            fault.Release();
        }

        var rowsAtEnd = await context.CountTargetRowsAsync(cancellationToken).ConfigureAwait(false);
        var stalled = context.Now - started;
        context.Record("heal", string.Create(CultureInfo.InvariantCulture, $"The broker serves the fetches of {topic} again after {stalled.TotalSeconds:0.0} s; the target held {rowsAtStart} row(s) when the first fetch was held and {rowsAtEnd} when the fetches were served."));

        // A released fetch is answered as soon as the log is read; wait for the answers so each is recorded with its hold.
        await context.WaitUntilAsync(_ => Task.FromResult(held.Count >= fault.MatchCount), Options.TriggerTimeout, cancellationToken).ConfigureAwait(false);
        var longest = held.IsEmpty ? TimeSpan.Zero : held.Max(e => e.CompletedAt - e.ReceivedAt);
        var count = BrokerSide.Drain(context, held, 0, "held-fetch", exchange => string.Create(
            CultureInfo.InvariantCulture,
            $"Fetch v{exchange.Request.ApiVersion} of {string.Join(", ", exchange.Request.Topics)} from {exchange.Request.ClientId} held {(exchange.CompletedAt - exchange.ReceivedAt).TotalSeconds:0.0} s, then {(exchange.ConnectionDropped ? "ended with its connection" : "served")}."));
        return new FaultOutcome(true, string.Create(CultureInfo.InvariantCulture, $"{fault.MatchCount} Fetch request(s) of {topic} held for up to {longest.TotalSeconds:0.0} s over a {stalled.TotalSeconds:0.0} s stall ({count} answered); the target grew from {rowsAtStart} to {rowsAtEnd} row(s) during it."));
    }

    private static FetchStallOptions Validated(FetchStallOptions options)
    {
        options.Validate();
        return options;
    }
}
