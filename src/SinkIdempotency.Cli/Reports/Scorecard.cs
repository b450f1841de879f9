namespace SinkIdempotency.Cli.Reports;

/// <summary>Holds the results of one <c>run</c>: failure case × connector, each run with its verdict and headline numbers.</summary>
internal sealed record Scorecard
{
    /// <summary>The failure cases in the order of the scorecard's rows.</summary>
    public static readonly IReadOnlyList<string> FailureCases = Faults.FaultCatalog.Names;

    public required string Environment { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required long DurationMs { get; init; }

    public int Repeat { get; init; } = 1;

    public required IReadOnlyList<ScorecardEntry> Scenarios { get; init; }

    /// <summary>Gets a value indicating whether any run is red (exit code 1).</summary>
    public bool AnyRed => Scenarios.Any(s => s.Verdict == ScorecardVerdict.Red);

    /// <summary>Gets a value indicating whether every run was skipped: nothing was tested (exit code 3 unless skips are accepted).</summary>
    /// <remarks>A cell the target refuses (<see cref="ScorecardVerdict.NotApplicable"/>) is no test either.</remarks>
    public bool NothingRan => Scenarios.Count > 0 && Scenarios.All(s => s.Verdict is ScorecardVerdict.Skipped or ScorecardVerdict.NotApplicable);

    /// <summary>Gets the console's summary line: how many runs, where, how long, each verdict's count, and <see cref="SkipNote"/>.</summary>
    public string SummaryLine() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Scenarios.Count} run(s) on {Environment} in {DurationMs / 1000.0:0.0} s: {Count(ScorecardVerdict.Red)} red, {Count(ScorecardVerdict.Yellow)} yellow, {Count(ScorecardVerdict.Green)} green, {Count(ScorecardVerdict.Skipped)} skipped, {Count(ScorecardVerdict.Error)} error{NotApplicableCount()}.") + SkipNote();

    /// <summary>Gets <c>, N n/a</c> when some cells' targets refused their failure case (with a leading comma); empty otherwise.</summary>
    public string NotApplicableCount() => Count(ScorecardVerdict.NotApplicable) is var n and > 0
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {n} n/a")
        : string.Empty;

    /// <summary>Gets the sentence every report's summary adds when runs were skipped (a skip tests nothing), with a leading space; empty otherwise.</summary>
    public string SkipNote()
    {
        var skipped = Count(ScorecardVerdict.Skipped);
        return NothingRan
            ? " Nothing ran: every scenario was skipped, so nothing was tested."
            : skipped > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" {skipped} skipped run(s) tested nothing.") : string.Empty;
    }

    /// <summary>Gets a value indicating whether any run failed for reasons of the environment.</summary>
    public bool AnyError => Scenarios.Any(s => s.Verdict == ScorecardVerdict.Error);

    /// <summary>Gets the rows of the table: the built-in failure cases first, then any other fault names, in order of appearance.</summary>
    public IReadOnlyList<string> Rows =>
        [.. FailureCases.Where(f => Scenarios.Any(s => s.Fault == f)), .. Scenarios.Select(s => s.Fault).Where(f => !FailureCases.Contains(f)).Distinct(StringComparer.Ordinal)];

    /// <summary>Gets the columns of the table: connectors in order of appearance.</summary>
    public IReadOnlyList<string> Columns => [.. Scenarios.Select(s => s.Connector).Distinct(StringComparer.Ordinal)];

    /// <summary>Counts the runs of each verdict.</summary>
    public int Count(ScorecardVerdict verdict) => Scenarios.Count(s => s.Verdict == verdict);

    /// <summary>Returns the runs of one cell, or an empty list.</summary>
    public IReadOnlyList<ScorecardEntry> Cell(string fault, string connector) =>
        [.. Scenarios.Where(s => s.Fault == fault && s.Connector == connector)];

    /// <summary>Returns a cell's text: the worst run's headline, with the spread of verdicts when it ran more than once.</summary>
    public static string CellText(IReadOnlyList<ScorecardEntry> runs)
    {
        if (runs.Count == 0)
        {
            return "–";
        }

        var worst = Worst(runs);
        var text = worst.Headline;
        if (runs.Count > 1)
        {
            var spread = runs.GroupBy(r => r.Verdict).OrderByDescending(g => Severity(g.Key)).Select(g => $"{g.Count()} {Name(g.Key)}");
            text += $" ({runs.Count} runs: {string.Join(", ", spread)})";
        }

        return text;
    }

    /// <summary>Returns the run that decides a cell: red before error before yellow before skipped before green.</summary>
    public static ScorecardEntry Worst(IReadOnlyList<ScorecardEntry> runs) => runs.OrderByDescending(r => Severity(r.Verdict)).First();

    public static string Name(ScorecardVerdict verdict) => verdict switch
    {
        ScorecardVerdict.Green => "green",
        ScorecardVerdict.Yellow => "yellow",
        ScorecardVerdict.Red => "red",
        ScorecardVerdict.Skipped => "skipped",
        ScorecardVerdict.NotApplicable => "not-applicable",
        _ => "error",
    };

    private static int Severity(ScorecardVerdict verdict) => verdict switch
    {
        ScorecardVerdict.Red => 4,
        ScorecardVerdict.Error => 3,
        ScorecardVerdict.Yellow => 2,
        ScorecardVerdict.Skipped => 1,
        _ => 0,
    };
}
