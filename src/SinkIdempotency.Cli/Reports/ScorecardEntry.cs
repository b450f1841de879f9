using System.Text.Json.Serialization;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Describes one scenario run in the scorecard: what ran, its verdict and its headline numbers.</summary>
internal sealed record ScorecardEntry
{
    /// <summary>The most characters of a failed task's first line shown in a cell.</summary>
    public const int MaxHeadlineLine = 90;

    public required string Name { get; init; }

    public required string Fault { get; init; }

    public required string Connector { get; init; }

    /// <summary>Gets the kind of the target the cell wrote to (<c>postgres</c>, <c>files-append</c>, <c>http-plain</c>, …).</summary>
    public string Target { get; init; } = Targets.ScenarioTarget.PostgreSqlKind;

    public required string Declared { get; init; }

    public required ScorecardVerdict Verdict { get; init; }

    public required string Outcome { get; init; }

    public int Repetition { get; init; } = 1;

    public string? RunId { get; init; }

    public long DurationMs { get; init; }

    public long Produced { get; init; }

    public long InTarget { get; init; }

    public long TargetRows { get; init; }

    public ScorecardAnomalies Anomalies { get; init; } = ScorecardAnomalies.None;

    /// <summary>Gets the anomaly kinds (report names) that made the verdict red.</summary>
    public IReadOnlyList<string> Forbidden { get; init; } = [];

    /// <summary>Gets the sentences behind a red verdict beyond the anomalies, the skip reason or the error.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public string? FaultDetail { get; init; }

    /// <summary>Gets the tasks the status API reported failed, with their traces and whether a poison record of the scenario explains each.</summary>
    public IReadOnlyList<TaskFailure> TaskFailures { get; init; } = [];

    /// <summary>Gets the finding that stands in for a fault whose crash window never opened (<c>no commit ran ahead of the target in 1000 records</c>).</summary>
    public string? Finding { get; init; }

    /// <summary>Gets the reasons that do not merely repeat <see cref="FaultDetail"/> (for the human reports).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ExtraReasons =>
        [.. Reasons.Where(r => FaultDetail is null || !r.EndsWith(FaultDetail, StringComparison.Ordinal))];

    /// <summary>Gets the evidence file, relative to the output folder, or <see langword="null"/> when none was written.</summary>
    public string? Evidence { get; init; }

    /// <summary>Gets the full result behind the entry (not serialised; the timeline plot and examples come from it).</summary>
    [JsonIgnore]
    public ScenarioResult? Result { get; init; }

    /// <summary>Gets the short text of a scorecard cell: <c>red: 41 duplicated</c>, <c>green: 1000 records, no anomaly</c>, <c>green: no commit ran ahead of the target in 1000 records</c>.</summary>
    [JsonIgnore]
    public string Headline => Verdict switch
    {
        ScorecardVerdict.Green when Finding is not null => $"green: {Finding}",
        ScorecardVerdict.Green => $"green: {Produced} records, no anomaly",
        ScorecardVerdict.Yellow => "yellow: " + (TaskFailures.Count > 0 ? "task stopped by a poison record; " : string.Empty) + AnomalyText(allowedOnly: true),
        ScorecardVerdict.Red when TaskFailures.FirstOrDefault(f => !f.CausedByPoison) is { } failure =>
            "red: task failed: " + Shorten(TaskFailure.ShortenClassName(failure.FirstLine)) + (Forbidden.Count > 0 ? "; " + AnomalyText(allowedOnly: false) + NothingWritten : string.Empty),
        ScorecardVerdict.Red => "red: " + (Forbidden.Count > 0 ? AnomalyText(allowedOnly: false) + NothingWritten : RedReason()),
        ScorecardVerdict.Skipped => "skipped",
        ScorecardVerdict.NotApplicable => "n/a (the target refuses this failure case; reason below)",
        _ => "error",
    };

    // "1000 lost" reads as a sink that drops some records; a sink that wrote none of them is a different finding.
    private string NothingWritten => Produced > 0 && InTarget == 0 ? "; none reached the target" : string.Empty;

    // A cell stays readable: the whole line is in the details below the table.
    private static string Shorten(string line) => line.Length <= MaxHeadlineLine ? line : line[..(MaxHeadlineLine - 1)] + "…";

    private string RedReason() => Outcome switch
    {
        nameof(ScenarioOutcome.NoConvergence) => "no convergence",
        nameof(ScenarioOutcome.FaultNotInjected) => "fault not injected",
        nameof(ScenarioOutcome.WindowNeverOpened) => "the sink wrote nothing",
        _ => Outcome,
    };

    private string AnomalyText(bool allowedOnly)
    {
        var counts = new (string Name, long Count)[]
        {
            ("lost", Anomalies.Lost),
            ("duplicated", Anomalies.Duplicated),
            ("unexpected", Anomalies.Unexpected),
            ("stale", Anomalies.Stale),
            ("unseen", Anomalies.Unseen),
            ("dead-lettered", Anomalies.DeadLettered),
            ("silently-dropped", Anomalies.SilentlyDropped),
        };
        var shown = counts.Where(c => c.Count > 0 && (allowedOnly || Forbidden.Contains(c.Name))).Select(c => $"{c.Count} {c.Name}").ToList();
        return shown.Count > 0 ? string.Join(", ", shown) : "allowed anomalies";
    }
}
