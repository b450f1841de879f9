using System.Globalization;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Puts poison records in the middle of good ones: records Connect's converter rejects (a type change, a missing envelope, garbage bytes) or records that convert and the target refuses (a value too long for its column, a NULL into a NOT NULL column, a number out of the column's range).</summary>
/// <remarks>
/// With <c>errors.tolerance=none</c> a converter poison fails the task and stops it there (records after the poison stay
/// unseen); with <c>errors.tolerance=all</c> the record is skipped and its offset committed, so it must land in the
/// dead-letter topic or it is silently dropped. A target poison reaches the sink's <c>put</c>: a correct sink reports it
/// to the errant record reporter (the dead-letter topic) or fails its task on it; a sink that swallows the write error
/// commits past it and the record is silently dropped. For the target kinds the runner constrains the run's table just
/// before the first poison (see <see cref="PoisonKind"/>). The evidence holds the task states, traces and dead-letter records.
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
    public override IReadOnlyList<PoisonRecord> PoisonRecords(ScenarioWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var first = (int)Math.Floor(Options.Position * workload.Records);
        return [.. Enumerable.Range(first, Math.Min(Options.Count, workload.Records - first)).Select(i => new PoisonRecord(i, Options.Kind))];
    }

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        // The poison is part of the workload; this step only confirms that all of it was produced.
        ArgumentNullException.ThrowIfNull(context);
        var expected = PoisonRecords(context.Scenario.Workload).Count;
        var produced = await context.WaitUntilAsync(
            _ => Task.FromResult(context.Ledger.Snapshot().Count(e => e.Poison) >= expected),
            TimeSpan.FromSeconds(60),
            cancellationToken).ConfigureAwait(false);
        var poison = context.Ledger.Snapshot().Where(e => e.Poison).ToArray();
        if (!produced || poison.Length == 0)
        {
            var gaveUp = string.Create(CultureInfo.InvariantCulture, $"The broker acknowledged {poison.Length} of {expected} poison record(s) within 60 s.");
            context.Record("gave-up", gaveUp);
            return new FaultOutcome(false, gaveUp);
        }

        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"Produced {poison.Length} poison record(s) ({Options.Kind}) at {string.Join(", ", poison.Take(5).Select(p => p.Position.ToString()))}{(poison.Length > 5 ? ", …" : string.Empty)}.");
        context.Record("poison-produced", detail);
        return new FaultOutcome(true, detail);
    }

    private static SchemaBreakOptions Validated(SchemaBreakOptions options)
    {
        options.Validate();
        return options;
    }
}
