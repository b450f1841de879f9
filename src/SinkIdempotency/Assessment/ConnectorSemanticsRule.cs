using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Grades a connector's failure evidence (the connector-semantics row): every built-in failure case of <see cref="FaultCatalog"/> must have run and none may be red.</summary>
/// <remarks>Red when a case is red, missing, or failed by the environment (no evidence); yellow when every case ran but some were skipped or yellow; green otherwise.</remarks>
public static class ConnectorSemanticsRule
{
    /// <summary>Grades one connector's runs.</summary>
    /// <param name="connector">The connector (scorecard column).</param>
    /// <param name="runs">The connector's runs.</param>
    /// <returns>The graded row, with counts of green, yellow, red, skipped and missing cases.</returns>
    public static AssessmentRow Evaluate(string connector, IReadOnlyList<AssessedRun> runs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        ArgumentNullException.ThrowIfNull(runs);
        var covered = runs.Select(r => r.Scenario.Fault?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var missing = FaultCatalog.Names.Where(n => !covered.Contains(n)).ToList();
        var red = runs.Where(r => r.Result?.Verdict == Verdict.Red).Select(Label).ToList();
        var failed = runs.Where(r => r.Result is null).Select(r => $"{Label(r)} ({r.Error ?? "no result"})").ToList();
        var skipped = runs.Where(r => r.Result is { Outcome: ScenarioOutcome.Skipped }).Select(r => $"{Label(r)} ({r.Result!.SkipReason})").ToList();
        var yellow = runs.Where(r => r.Result?.Verdict == Verdict.Yellow).Select(Label).ToList();
        var green = runs.Count(r => r.Result?.Verdict == Verdict.Green);
        var figures = new List<AssessmentFigure>
        {
            new("scenarios", runs.Count, "scenarios"),
            new("green", green, "scenarios"),
            new("yellow", yellow.Count, "scenarios"),
            new("red", red.Count, "scenarios"),
            new("skipped", skipped.Count, "scenarios"),
            new("environmentFailures", failed.Count, "scenarios"),
            new("missingCases", missing.Count, "cases"),
        };

        var problems = new List<string>();
        if (red.Count > 0)
        {
            problems.Add($"red: {string.Join(", ", red)}");
        }

        if (missing.Count > 0)
        {
            problems.Add($"no evidence for {string.Join(", ", missing)} (declare a scenario for each failure case)");
        }

        if (failed.Count > 0)
        {
            problems.Add($"the environment failed {string.Join(", ", failed)}");
        }

        if (problems.Count > 0)
        {
            return Row(connector, AssessmentStatus.Red, $"The design relies on idempotency without complete failure evidence: {string.Join("; ", problems)}.", figures);
        }

        if (skipped.Count > 0 || yellow.Count > 0)
        {
            var caveats = new List<string>();
            if (skipped.Count > 0)
            {
                caveats.Add($"skipped, so not tested here: {string.Join(", ", skipped)}");
            }

            if (yellow.Count > 0)
            {
                caveats.Add($"yellow (allowed anomalies): {string.Join(", ", yellow)}");
            }

            return Row(connector, AssessmentStatus.Yellow, $"Every failure case was declared and none is red, but {string.Join("; ", caveats)}.", figures);
        }

        return Row(connector, AssessmentStatus.Green, $"All {FaultCatalog.Names.Count} failure cases ({string.Join(", ", FaultCatalog.Names)}) ran green in {runs.Count} scenario(s).", figures);
    }

    private static string Label(AssessedRun run) => $"{run.Scenario.Name} [{run.Scenario.Fault?.Name ?? "none"}]";

    private static AssessmentRow Row(string connector, AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.ConnectorSemantics, connector, status, summary, figures);
}
