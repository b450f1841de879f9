using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Holds the count of each anomaly kind of one scenario run, as written in <c>scorecard.json</c>.</summary>
internal sealed record ScorecardAnomalies(long Lost, long Duplicated, long Unexpected, long Stale, long Unseen, long DeadLettered, long SilentlyDropped)
{
    public static ScorecardAnomalies None { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public static ScorecardAnomalies From(ReconciliationReport report) => new(
        report[AnomalyKind.Lost].Count,
        report[AnomalyKind.Duplicated].Count,
        report[AnomalyKind.Unexpected].Count,
        report[AnomalyKind.Stale].Count,
        report[AnomalyKind.Unseen].Count,
        report[AnomalyKind.DeadLettered].Count,
        report[AnomalyKind.SilentlyDropped].Count);
}
