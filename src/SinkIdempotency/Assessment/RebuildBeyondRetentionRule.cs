using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Grades the replay-beyond-retention measurement (the Kafka layer's rebuild row): a rebuild from Kafka after history was cut must lose exactly what was cut, visibly.</summary>
/// <remarks>
/// <para>
/// Every such run is red by design (a rebuilt target cannot hold deleted records), so the row does not read the verdict: it
/// reads whether the reconciliation accounts for the cut. Green when, in every run, each partition lost exactly the
/// records the cut deleted (<see cref="ReplayBeyondRetention.CutOffset"/> of the records produced to it; under
/// upsert-by-key at most that many, a deleted record whose key has a newer kept record being superseded) and nothing else
/// is wrong: the platform's reset before the log start behaves as Kafka's does, and the loss is named. Red when a rebuild
/// lost records the cut kept, duplicated, or lost fewer than the cut under event semantics (the rebuild did not start from
/// an empty target, so the loss is unproven). Not assessed when no such run reconciled, with the reasons. The row exists
/// only when the assessment declares the measurement.
/// </para>
/// </remarks>
public static class RebuildBeyondRetentionRule
{
    /// <summary>Gets a value indicating whether a run is one of the measurements of <see cref="FaultCatalog.Measurements"/>, which the matrix rows leave out.</summary>
    /// <param name="run">The run.</param>
    /// <returns><see langword="true"/> for a measurement run.</returns>
    public static bool IsMeasurement(AssessedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Scenario.Fault is { } fault && FaultCatalog.Measurements.Any(m => string.Equals(m.Name, fault.Name, StringComparison.Ordinal));
    }

    /// <summary>Grades the replay-beyond-retention runs.</summary>
    /// <param name="runs">All runs of the assessment.</param>
    /// <returns>The graded row, or <see langword="null"/> when no replay-beyond-retention scenario was declared.</returns>
    public static AssessmentRow? Evaluate(IReadOnlyList<AssessedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var declared = runs.Where(r => r.Scenario.Fault is ReplayBeyondRetention).ToList();
        if (declared.Count == 0)
        {
            return null;
        }

        var reconciled = declared.Where(r => r.Result is { Report: not null, Outcome: ScenarioOutcome.Settled }).ToList();
        var deleted = 0L;
        var lost = 0L;
        var problems = new List<string>();
        var cuts = new List<string>();
        foreach (var run in reconciled)
        {
            var share = ((ReplayBeyondRetention)run.Scenario.Fault!).Options.DeletedShare;
            var report = run.Result!.Report!;
            var upsert = report.Semantics == DeclaredSemantics.UpsertByKey;
            foreach (var partition in report.Partitions)
            {
                var cut = ReplayBeyondRetention.CutOffset(partition.Produced, share);
                var partitionLost = partition.AnomalyCounts.GetValueOrDefault(AnomalyKind.Lost);
                deleted += cut;
                lost += partitionLost;
                if (upsert ? partitionLost > cut : partitionLost != cut)
                {
                    problems.Add(Invariant($"{Label(run)} partition {partition.Partition} lost {partitionLost} record(s) where the cut deleted {cut}"));
                }
            }

            var other = report.ForbiddenAnomalies.Where(k => k != AnomalyKind.Lost).ToList();
            if (other.Count > 0)
            {
                problems.Add($"{Label(run)} also shows {string.Join(", ", other.Select(k => Invariant($"{report[k].Count} {k.ToName()}")))}");
            }

            if (run.Result.Evidence.Snapshot().OfType<FaultActionEvidence>().FirstOrDefault(a => a.Action == "delete-records") is { } action)
            {
                cuts.Add($"{Label(run)}: {action.Detail}");
            }
        }

        var figures = new List<AssessmentFigure>
        {
            new("rebuildRuns", reconciled.Count, "scenarios"),
            new("recordsDeleted", deleted, "records"),
            new("recordsLost", lost, "records"),
        };
        if (reconciled.Count == 0)
        {
            var reasons = declared.Select(r => $"{Label(r)} {(r.Result is null ? $"failed in the environment ({r.Error ?? "no result"})" : r.Result.Outcome == ScenarioOutcome.Skipped ? $"was skipped ({r.Result.SkipReason})" : $"did not settle ({r.Result.Outcome})")}");
            return Row(AssessmentStatus.NotAssessed, $"Rebuild beyond retention not assessed: {string.Join("; ", reasons)}.", figures);
        }

        return problems.Count > 0
            ? Row(AssessmentStatus.Red, $"A rebuild past the log start lost other records than the cut deleted: {string.Join("; ", problems)}.", figures)
            : Row(AssessmentStatus.Green, Invariant($"A rebuild from Kafka after history was cut lost exactly what the cut deleted ({lost} of {deleted} deleted record(s) lost, named by offset in the reconciliation; no other anomaly): a replay can rebuild no further back than the topic keeps. {string.Join(" ", cuts)}"), figures);
    }

    private static string Label(AssessedRun run) => $"{run.Connector}/{run.Scenario.Name}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static AssessmentRow Row(AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.KafkaLayer, "rebuild beyond retention", status, summary, figures);
}
