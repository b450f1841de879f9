using System.Globalization;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Puts poison records (a type change, a missing envelope, or garbage bytes) in the middle of good ones.</summary>
/// <remarks>
/// Kafka Connect's converter fails on them. With <c>errors.tolerance=none</c> the task fails and stops there (records
/// after the poison stay unseen); with <c>errors.tolerance=all</c> the record is skipped and its offset committed, so it
/// must land in the dead-letter topic or it is silently dropped. The evidence holds the task states and the
/// dead-letter records with their headers.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class SchemaBreak(SchemaBreakOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public SchemaBreakOptions Options { get; } = Validated(options ?? new SchemaBreakOptions());

    /// <inheritdoc />
    public override string Name => "schema-break";

    /// <inheritdoc />
    public override ScenarioCapabilities RequiredCapabilities => ScenarioCapabilities.None;

    /// <inheritdoc />
    internal override IReadOnlyList<PoisonRecord> PoisonRecords(ScenarioWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var first = (int)Math.Floor(Options.Position * workload.Records);
        return [.. Enumerable.Range(first, Math.Min(Options.Count, workload.Records - first)).Select(i => new PoisonRecord(i, Options.Kind))];
    }

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        // The poison is part of the workload; this step only confirms it was produced.
        var produced = await context.WaitUntilAsync(
            _ => Task.FromResult(context.Ledger.Snapshot().Any(e => e.Poison)),
            TimeSpan.FromSeconds(60),
            cancellationToken).ConfigureAwait(false);
        var poison = context.Ledger.Snapshot().Where(e => e.Poison).ToArray();
        if (!produced || poison.Length == 0)
        {
            const string Detail = "No poison record was acknowledged by the broker.";
            context.Record("gave-up", Detail);
            return new FaultOutcome(false, Detail);
        }

        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"Produced {poison.Length} poison record(s) ({Options.Kind}) at {string.Join(", ", poison.Take(5).Select(p => p.Position.ToString()))}.");
        context.Record("poison-produced", detail);
        return new FaultOutcome(true, detail);
    }

    private static SchemaBreakOptions Validated(SchemaBreakOptions options)
    {
        options.Validate();
        return options;
    }
}
