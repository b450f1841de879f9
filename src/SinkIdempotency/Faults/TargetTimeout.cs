using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Faults;

/// <summary>Lets a target write reach the target and commit, but withholds the reply (through the target fault proxy) until the sink times out and retries.</summary>
/// <remarks>
/// The sink cannot tell a lost request from a lost reply, so it writes again: a non-idempotent insert duplicates the
/// batch, an upsert by key absorbs it. By default the withheld reply is the server's own word that the write is durable
/// (<see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/>), so the fault fires with any driver and with sinks
/// that write in autocommit. The evidence names each withheld reply and holds the proxy's counters before and after.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class TargetTimeout(TargetTimeoutOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public TargetTimeoutOptions Options { get; } = Validated(options ?? new TargetTimeoutOptions());

    /// <inheritdoc />
    public override string Name => "target-timeout";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.TargetFaultProxy;


    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var proxy = context.SinkTarget.Proxy
            ?? throw new InvalidOperationException($"The {context.Environment.Name} environment announces a target fault proxy but has none in front of its {context.SinkTarget.Kind} target.");
        var armed = await context.WaitUntilAsync(
            async ct => await context.CountTargetRowsAsync(ct).ConfigureAwait(false) >= Options.AfterTargetRows,
            Options.TriggerTimeout,
            cancellationToken).ConfigureAwait(false);
        if (!armed)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"The target never held {Options.AfterTargetRows} row(s) within {Options.TriggerTimeout.TotalSeconds:0.#} s, so no response was withheld.");
            context.Record("gave-up", detail);
            return new FaultOutcome(false, detail);
        }

        var before = proxy.GetCounters();
        var repliesBefore = proxy.WithheldReplies.Count;
        Counters(context, proxy, "before");
        var behaviour = Arm(proxy, Options.Mode);
        context.Record(ArmAction(Options.Mode), ArmDetail(Options, proxy.Protocol));

        List<TargetFaultProxyWithheldReply> withheld = [];
        try
        {
            var fired = await context.WaitUntilAsync(
                _ =>
                {
                    withheld = [.. proxy.WithheldReplies.Skip(repliesBefore).Where(r => r.Behaviour == behaviour)];
                    return Task.FromResult(withheld.Count > 0);
                },
                Options.TriggerTimeout,
                cancellationToken).ConfigureAwait(false);
            if (fired && Options.Mode == TargetTimeoutMode.AllResponses)
            {
                await DelayAtLeast.WaitAsync(Options.Duration, context.TimeProvider, cancellationToken).ConfigureAwait(false);
                withheld = [.. proxy.WithheldReplies.Skip(repliesBefore).Where(r => r.Behaviour == behaviour)];
            }

            if (!fired)
            {
                var detail = string.Create(CultureInfo.InvariantCulture, $"{NothingWithheld(Options.Mode, proxy.Protocol)} within {Options.TriggerTimeout.TotalSeconds:0.#} s, so none was withheld.");
                context.Record("gave-up", detail);
                return new FaultOutcome(false, detail);
            }

            foreach (var reply in withheld)
            {
                context.Record("withheld", string.Create(CultureInfo.InvariantCulture, $"Withheld on target connection {reply.ConnectionId}: {reply.Reply}; everything after it on that connection too."));
            }
        }
        finally
        {
            if (Options.Mode == TargetTimeoutMode.AllResponses || proxy.Behaviour == behaviour)
            {
                proxy.Pass();
                context.Record("heal", "The proxy forwards replies again.");
            }

            Counters(context, proxy, "after");
        }

        var after = proxy.GetCounters();
        var release = await AwaitReleaseAsync(context, proxy, withheld, cancellationToken).ConfigureAwait(false);
        return new FaultOutcome(
            true,
            string.Create(CultureInfo.InvariantCulture, $"Withheld {after.ResponsesWithheld - before.ResponsesWithheld} target response(s) on {after.ConnectionsWithheld - before.ConnectionsWithheld} connection(s), first {withheld[0].Reply}. {release}"));
    }

    // A withheld connection stays silent until the sink gives up on it: that wait is the fault's, not the sink's rhythm, so
    // its end goes into the evidence. The settle check then does not read the gap as a sink that writes every few seconds
    // and ask for twice that gap of quiet. A sink that never gives up holds the connection past the wait, and says so.
    private async Task<string> AwaitReleaseAsync(FaultContext context, TargetFaultProxy proxy, List<TargetFaultProxyWithheldReply> withheld, CancellationToken cancellationToken)
    {
        var ids = withheld.Select(r => r.ConnectionId).Distinct().ToList();
        var from = withheld.Min(r => r.At);
        var released = await context.WaitUntilAsync(
            _ => Task.FromResult(ids.All(id => !proxy.IsConnectionOpen(id))),
            Options.TriggerTimeout,
            cancellationToken).ConfigureAwait(false);
        var connections = string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        var waited = (context.Now - from).TotalSeconds;
        var detail = released
            ? string.Create(CultureInfo.InvariantCulture, $"The sink closed withheld target connection(s) {connections} {waited:0.0#} s after the first reply was withheld: it gave up waiting for the reply.")
            : string.Create(CultureInfo.InvariantCulture, $"The sink still held withheld target connection(s) {connections} open {waited:0.0#} s after the first reply was withheld: it either still waits for the reply or gave up on it without closing the connection.");
        context.Record(released ? "released" : "still-held", detail);
        return detail;
    }

    /// <summary>Switches the proxy to the behaviour of <paramref name="mode"/>.</summary>
    /// <param name="proxy">The proxy in front of the target.</param>
    /// <param name="mode">The mode.</param>
    /// <returns>The behaviour the proxy withholds replies under, as <see cref="TargetFaultProxyWithheldReply.Behaviour"/> names it.</returns>
    internal static TargetFaultBehaviour Arm(TargetFaultProxy proxy, TargetTimeoutMode mode)
    {
        switch (mode)
        {
            case TargetTimeoutMode.CommitResponse:
                proxy.WithholdNextDurableWriteReply();
                return TargetFaultBehaviour.WithholdDurableWriteReply;
            case TargetTimeoutMode.NextResponse:
                proxy.WithholdNextResponse();
                return TargetFaultBehaviour.WithholdNextResponse;
            default:
                proxy.WithholdResponses();
                return TargetFaultBehaviour.WithholdResponses;
        }
    }

    private static string ArmAction(TargetTimeoutMode mode) => mode switch
    {
        TargetTimeoutMode.CommitResponse => "withhold-durable-write-reply",
        TargetTimeoutMode.NextResponse => "withhold-next-response",
        _ => "withhold-responses",
    };

    /// <summary>Words what the armed proxy withholds, naming the reply the target's protocol makes durable.</summary>
    /// <param name="options">The fault's options.</param>
    /// <param name="protocol">The protocol the proxy reads.</param>
    /// <returns>The sentence for the arm step's evidence.</returns>
    internal static string ArmDetail(TargetTimeoutOptions options, TargetWireProtocol protocol) => options.Mode switch
    {
        TargetTimeoutMode.CommitResponse => $"Withholding the target's next reply that makes a write durable ({DurableReply(protocol)}), whatever the client sent: the write lands, the sink does not hear so.",
        TargetTimeoutMode.NextResponse => "Withholding the replies of the next connection that sends a request to the target.",
        _ => string.Create(CultureInfo.InvariantCulture, $"Withholding every reply from the target for {options.Duration.TotalSeconds:0.#} s."),
    };

    /// <summary>Words why nothing was withheld, naming the reply the target's protocol makes durable.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="protocol">The protocol the proxy reads.</param>
    /// <returns>The start of the gave-up sentence.</returns>
    internal static string NothingWithheld(TargetTimeoutMode mode, TargetWireProtocol protocol) => mode switch
    {
        TargetTimeoutMode.CommitResponse => protocol switch
        {
            TargetWireProtocol.MySql => "The target sent no reply that made a write durable (no OK packet for a COMMIT after writes, no OK packet for an autocommitted write that changed rows)",
            TargetWireProtocol.Http => "The target sent no reply that made a write durable (no final 2xx response)",
            _ => "The target sent no reply that made a write durable (no COMMIT ending a transaction that wrote, no autocommitted write)",
        },
        TargetTimeoutMode.NextResponse => "No connection sent a request and got a reply",
        _ => "No target reply passed the proxy",
    };

    private static string DurableReply(TargetWireProtocol protocol) => protocol switch
    {
        TargetWireProtocol.MySql => "the OK packet, with no transaction left open, answering a COMMIT after writes, or an autocommitted INSERT, UPDATE, REPLACE or DELETE that changed rows",
        TargetWireProtocol.Http => "a final response with a 2xx status, which the API sends only after it applied the request",
        _ => "CommandComplete for a COMMIT ending a transaction that wrote, or for a write outside a transaction block once ReadyForQuery reports it autocommitted",
    };

    private static void Counters(FaultContext context, TargetFaultProxy proxy, string label) =>
        context.Timeline.Add(new ProxyCountersEvidence
        {
            At = context.Now,
            Step = context.Step + ":" + label,
            Behaviour = proxy.Behaviour.ToString(),
            Counters = proxy.GetCounters(),
            WithheldReplies = proxy.WithheldReplies,
        });

    private static TargetTimeoutOptions Validated(TargetTimeoutOptions options)
    {
        options.Validate();
        return options;
    }
}
