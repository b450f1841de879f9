using SinkIdempotency.Connect;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Turns scenario results (or environment failures) into scorecard entries.</summary>
internal static class ScorecardEntries
{
    public static ScorecardEntry FromResult(ScenarioResult result, string connector, int repetition, string? evidence)
    {
        var verdict = result.Verdict switch
        {
            Verdict.Green => ScorecardVerdict.Green,
            Verdict.Yellow => ScorecardVerdict.Yellow,
            Verdict.Red => ScorecardVerdict.Red,
            _ => ScorecardVerdict.Skipped,
        };
        var report = result.Report;
        IReadOnlyList<string> reasons = result.SkipReason is { } skip ? [skip, .. result.Reasons] : result.Reasons;
        return new ScorecardEntry
        {
            Name = result.Scenario,
            Fault = result.Fault,
            Connector = connector,
            Declared = result.Semantics.ToName(),
            Verdict = verdict,
            Outcome = result.Outcome.ToString(),
            Repetition = repetition,
            RunId = result.RunId,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Produced = report?.Produced ?? 0,
            InTarget = report?.InTarget ?? 0,
            TargetRows = report?.TargetRows ?? 0,
            Anomalies = report is null ? ScorecardAnomalies.None : ScorecardAnomalies.From(report),
            Forbidden = report is null ? [] : [.. report.ForbiddenAnomalies.Select(a => a.ToName())],
            Reasons = reasons,
            FaultDetail = result.FaultDetail,
            TaskFailures = result.TaskFailures,
            Finding = result.Finding,
            Evidence = evidence,
            Result = result,
        };
    }

    /// <summary>Makes the entry of a cell whose target refuses its failure case: nothing ran, the target's reason is the cell.</summary>
    public static ScorecardEntry NotApplicable(Scenario scenario, string connector, int repetition, string reason) => new()
    {
        Name = scenario.Name,
        Fault = scenario.Fault?.Name ?? "none",
        Connector = connector,
        Target = scenario.Target.Kind,
        Declared = scenario.Semantics.ToName(),
        Verdict = ScorecardVerdict.NotApplicable,
        Outcome = "NotApplicable",
        Repetition = repetition,
        Reasons = [reason],
    };

    public static ScorecardEntry FromError(Scenario scenario, string connector, int repetition, Exception error, TimeSpan duration) => new()
    {
        Name = scenario.Name,
        Fault = scenario.Fault?.Name ?? "none",
        Connector = connector,
        Declared = scenario.Semantics.ToName(),
        Verdict = ScorecardVerdict.Error,
        Outcome = "Error",
        Repetition = repetition,
        DurationMs = (long)duration.TotalMilliseconds,
        Reasons = [SecretRedactor.RedactText(error.Message)],
    };
}
