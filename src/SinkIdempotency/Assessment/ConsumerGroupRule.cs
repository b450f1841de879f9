using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Grades the consumer-group behaviour the rebalance runs showed (the Kafka layer's consumer-groups row).</summary>
/// <remarks>
/// <para>
/// A rebalance run proves the group only when its evidence shows the tasks moving (an <see cref="AssignmentEvidence"/> whose
/// workers differ before and after) and it reached a reconciliation. Red when such a run is red (records lost or duplicated
/// beyond the declared semantics across the rebalance), or when the fault could not move the tasks (the group did not
/// hand the partitions over). Yellow when a run saw rebalances nobody asked for (a member dropped out of the group on its
/// own: session or poll timeouts on this platform), or a rebalance run was yellow. Not assessed when no rebalance run
/// ran (none declared, skipped, or failed by the environment), with the reason.
/// </para>
/// </remarks>
public static class ConsumerGroupRule
{
    /// <summary>Gets the failure case whose runs this rule reads.</summary>
    public const string RebalanceFault = "rebalance";

    /// <summary>Grades the consumer groups from every declared connector's runs.</summary>
    /// <param name="runs">All runs of the assessment; the rebalance runs decide, every run's unplanned rebalances count.</param>
    /// <returns>The graded row.</returns>
    public static AssessmentRow Evaluate(IReadOnlyList<AssessedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rebalances = runs.Where(r => r.Scenario.Fault?.Name == RebalanceFault).ToList();
        var ran = rebalances.Where(r => r.Result is { Outcome: not ScenarioOutcome.Skipped }).ToList();
        var unplanned = runs
            .Where(r => r.Result is not null)
            .SelectMany(r => r.Result!.Evidence.Snapshot().OfType<RebalanceEvidence>().Where(e => !e.Planned).Select(e => (Run: r, Event: e)))
            .ToList();
        var moved = ran.Where(r => TasksMoved(r.Result!)).ToList();
        var red = ran.Where(r => r.Result!.Verdict == Verdict.Red).ToList();
        var figures = new List<AssessmentFigure>
        {
            new("rebalanceRuns", ran.Count, "scenarios"),
            new("runsWithTasksMoved", moved.Count, "scenarios"),
            new("redRebalanceRuns", red.Count, "scenarios"),
            new("unplannedRebalances", unplanned.Count, "rebalances"),
        };
        if (ran.Count == 0)
        {
            var reason = rebalances.Count == 0
                ? "no rebalance scenario was declared for the connectors"
                : string.Join("; ", rebalances.Select(r => $"{Label(r)} {(r.Result is null ? $"failed in the environment ({r.Error ?? "no result"})" : $"was skipped ({r.Result.SkipReason})")}"));
            return Row(AssessmentStatus.NotAssessed, $"Consumer groups not assessed: {reason}.", figures);
        }

        if (red.Count > 0)
        {
            return Row(AssessmentStatus.Red, $"The group lost or duplicated records across a rebalance beyond the declared semantics: {string.Join(", ", red.Select(r => $"{Label(r)} ({r.Result!.Outcome}{Anomalies(r.Result)})"))}.", figures);
        }

        var stuck = ran.Except(moved).ToList();
        if (stuck.Count > 0)
        {
            return Row(AssessmentStatus.Red, $"The rebalance did not move the tasks in {string.Join(", ", stuck.Select(Label))}: the evidence shows no task changing worker, so the group's hand-over is unproven.", figures);
        }

        var caveats = new List<string>();
        if (unplanned.Count > 0)
        {
            caveats.Add(string.Create(CultureInfo.InvariantCulture, $"{unplanned.Count} rebalance(s) nobody asked for ({string.Join(", ", unplanned.Select(u => Label(u.Run)).Distinct(StringComparer.Ordinal))}): a member left the group on its own (session or poll timeout)"));
        }

        if (ran.Any(r => r.Result!.Verdict == Verdict.Yellow))
        {
            caveats.Add($"yellow (allowed anomalies): {string.Join(", ", ran.Where(r => r.Result!.Verdict == Verdict.Yellow).Select(Label))}");
        }

        var proof = $"{moved.Count} rebalance run(s) moved the tasks to another worker and reconciled without a forbidden anomaly ({string.Join(", ", moved.Select(Label))})";
        return caveats.Count > 0
            ? Row(AssessmentStatus.Yellow, $"{proof}, but {string.Join("; ", caveats)}.", figures)
            : Row(AssessmentStatus.Green, $"{proof}; no unplanned rebalance in any run.", figures);
    }

    // Tasks moved when some task's worker after the change differs from before it.
    private static bool TasksMoved(ScenarioResult result) =>
        result.Evidence.Snapshot().OfType<AssignmentEvidence>().Any(a =>
            a.Before.Count > 0 && a.After.Any(t => a.Before.TryGetValue(t.Key, out var before) && t.Value is not null && !string.Equals(before, t.Value, StringComparison.Ordinal)));

    private static string Anomalies(ScenarioResult result) =>
        result.Report is { } report && report.ForbiddenAnomalies.Count > 0
            ? ": " + string.Join(", ", report.ForbiddenAnomalies.Select(k => $"{report[k].Count} {k.ToName()}"))
            : string.Empty;

    private static string Label(AssessedRun run) => $"{run.Connector}/{run.Scenario.Name}";

    private static AssessmentRow Row(AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.KafkaLayer, "consumer groups", status, summary, figures);
}
