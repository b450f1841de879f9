using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Support;

/// <summary>Builds scenario results by hand for the fake runner.</summary>
internal static class Results
{
    public static ScenarioResult Make(
        Scenario scenario,
        Verdict? verdict,
        long produced = 1000,
        long duplicated = 0,
        long lost = 0,
        ScenarioOutcome outcome = ScenarioOutcome.Settled,
        string? skipReason = null,
        EvidenceTimeline? evidence = null)
    {
        var semantics = scenario.Semantics;
        var anomalies = Enum.GetValues<AnomalyKind>()
            .Select(kind => kind switch
            {
                AnomalyKind.Duplicated => new AnomalySummary(kind, duplicated, duplicated, VerdictPolicy.IsAllowed(semantics, kind), duplicated > 0 ? [new AnomalyExample("t", 0, 7, "k7", "run-7", "2 rows")] : []),
                AnomalyKind.Lost => new AnomalySummary(kind, lost, 0, VerdictPolicy.IsAllowed(semantics, kind), []),
                _ => new AnomalySummary(kind, 0, 0, VerdictPolicy.IsAllowed(semantics, kind), []),
            })
            .ToList();
        var report = verdict is null ? null : new ReconciliationReport
        {
            Semantics = semantics,
            Verdict = verdict.Value,
            GeneratedAt = DateTimeOffset.UnixEpoch,
            Target = "fake",
            Produced = produced,
            TargetRows = produced - lost + duplicated,
            TargetChecksum = 0,
            InTarget = produced - lost,
            Superseded = 0,
            DeadLetterRecords = 0,
            UnmatchedDeadLetters = 0,
            Anomalies = anomalies,
            Partitions = [],
        };
        return new ScenarioResult
        {
            Scenario = scenario.Name,
            RunId = "abcd1234",
            Environment = "fake",
            Fault = scenario.Fault?.Name ?? "none",
            Semantics = semantics,
            Outcome = verdict is null ? ScenarioOutcome.Skipped : outcome,
            Verdict = verdict,
            SkipReason = skipReason,
            Report = report,
            Evidence = evidence ?? new EvidenceTimeline(),
            Duration = TimeSpan.FromMilliseconds(1500),
        };
    }
}
