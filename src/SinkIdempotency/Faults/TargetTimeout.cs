using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Lets a target write reach the target and commit, but withholds the reply (through the target fault proxy) until the sink times out and retries.</summary>
/// <remarks>
/// The sink cannot tell a lost request from a lost reply, so it writes again: a non-idempotent insert duplicates the
/// batch, an upsert by key absorbs it. The evidence holds the proxy's counters before and after, including the number
/// of responses withheld.
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
    public override ScenarioCapabilities RequiredCapabilities => ScenarioCapabilities.TargetFaultProxy;

    /// <inheritdoc />
    protected internal override bool NeedsTargetProxy => true;

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var proxy = context.Environment.TargetProxy
            ?? throw new InvalidOperationException($"The {context.Environment.Name} environment announces a target fault proxy but has none.");
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
        Counters(context, proxy, "before");
        if (Options.Mode == TargetTimeoutMode.CommitResponse)
        {
            proxy.WithholdNextResponseTo(PostgreSqlCommit);
            context.Record("withhold-commit-response", "Withholding the reply to the next COMMIT sent to the target (the transaction commits; the sink does not hear it).");
        }
        else if (Options.Mode == TargetTimeoutMode.NextResponse)
        {
            proxy.WithholdNextResponse();
            context.Record("withhold-next-response", "Withholding the replies of the next connection that sends a request to the target.");
        }
        else
        {
            proxy.WithholdResponses();
            context.Record("withhold-responses", string.Create(CultureInfo.InvariantCulture, $"Withholding every reply from the target for {Options.Duration.TotalSeconds:0.#} s."));
        }

        try
        {
            var withheld = await context.WaitUntilAsync(
                _ => Task.FromResult(proxy.GetCounters().ResponsesWithheld > before.ResponsesWithheld),
                Options.TriggerTimeout,
                cancellationToken).ConfigureAwait(false);
            if (withheld && Options.Mode == TargetTimeoutMode.AllResponses)
            {
                await Task.Delay(Options.Duration, context.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (!withheld)
            {
                var detail = string.Create(CultureInfo.InvariantCulture, $"No target reply passed the proxy within {Options.TriggerTimeout.TotalSeconds:0.#} s, so none was withheld.");
                context.Record("gave-up", detail);
                return new FaultOutcome(false, detail);
            }
        }
        finally
        {
            if (Options.Mode == TargetTimeoutMode.AllResponses || proxy.Behaviour == TargetFaultBehaviour.WithholdNextResponse)
            {
                proxy.Pass();
                context.Record("heal", "The proxy forwards replies again.");
            }

            Counters(context, proxy, "after");
        }

        var after = proxy.GetCounters();
        return new FaultOutcome(
            true,
            string.Create(CultureInfo.InvariantCulture, $"Withheld {after.ResponsesWithheld - before.ResponsesWithheld} target response(s) on {after.ConnectionsWithheld - before.ConnectionsWithheld} connection(s)."));
    }

    // PostgreSQL's simple Query message for COMMIT: 'Q', int32 length 11, "COMMIT" and a terminating zero.
    private static ReadOnlySpan<byte> PostgreSqlCommit => [(byte)'Q', 0, 0, 0, 11, (byte)'C', (byte)'O', (byte)'M', (byte)'M', (byte)'I', (byte)'T', 0];

    private static void Counters(FaultContext context, TargetFaultProxy proxy, string label) =>
        context.Timeline.Add(new ProxyCountersEvidence
        {
            At = context.Now,
            Step = context.Step + ":" + label,
            Behaviour = proxy.Behaviour.ToString(),
            Counters = proxy.GetCounters(),
        });

    private static TargetTimeoutOptions Validated(TargetTimeoutOptions options)
    {
        options.Validate();
        return options;
    }
}
