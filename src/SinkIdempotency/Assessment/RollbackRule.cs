using System.Globalization;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Assessment;

/// <summary>Grades the rollback row from the dual run: legacy and new path side by side on one topic, both reconciled, offsets aligned, then the legacy path stopped.</summary>
/// <remarks>
/// Green needs every one of: both targets reconciled green when compared, both groups' committed offsets at the log end then
/// (aligned), and after the legacy path stopped the new one kept going (its group at the new log end, its target green against
/// every record) while the legacy group stayed at the offsets it stopped at and its target took nothing more. A red or missing
/// reconciliation, offsets that never aligned or a legacy path that kept moving is red; a yellow reconciliation is yellow.
/// </remarks>
public static class RollbackRule
{
    /// <summary>Grades the row.</summary>
    /// <param name="run">The dual run, or <see langword="null"/> when none ran.</param>
    /// <param name="notRunReason">Why no dual run ran (e.g. the file declares no rollback connectors); used when <paramref name="run"/> is <see langword="null"/>.</param>
    /// <returns>The row.</returns>
    public static AssessmentRow Evaluate(DualRunResult? run, string notRunReason)
    {
        if (run is null)
        {
            return new AssessmentRow(AssessmentArea.Rollback, null, AssessmentStatus.NotAssessed, $"Rollback not assessed: {notRunReason}.", []);
        }

        var offsets = Offsets(run);
        var figures = Figures(run);
        var names = $"legacy {run.Legacy.Connector} and new {run.New.Connector} on {run.Topic}";
        if (run.Error is not null)
        {
            return new AssessmentRow(AssessmentArea.Rollback, null, AssessmentStatus.NotAssessed, $"Rollback not assessed: the dual run ({names}) could not measure: {run.Error.TrimEnd('.')}.", figures) { Offsets = offsets };
        }

        var problems = new List<string>();
        foreach (var (path, report, stage) in new[]
        {
            (run.New, run.New.AtAlignment, "beside the legacy path"),
            (run.New, run.New.AtEnd, "after the legacy path stopped"),
            (run.Legacy, run.Legacy.AtAlignment, "beside the new path"),
            (run.Legacy, run.Legacy.AtEnd, "after it stopped"),
        })
        {
            if (report is null)
            {
                problems.Add($"the {path.Role} target was not reconciled {stage}");
            }
            else if (report.Verdict == Verdict.Red)
            {
                problems.Add($"the {path.Role} path ({path.Connector}, {path.Semantics.ToName()}) is red {stage}: {Anomalies(report)}");
            }
        }

        if (Lag(run.Legacy.OffsetsAtAlignment, run.EndAtAlignment) is { } legacyLag)
        {
            problems.Add($"the offsets did not align within {Seconds(run.Timeout)}: {run.Legacy.Group} is behind the log end ({legacyLag})");
        }

        if (Lag(run.New.OffsetsAtAlignment, run.EndAtAlignment) is { } newLag)
        {
            problems.Add($"the offsets did not align within {Seconds(run.Timeout)}: {run.New.Group} is behind the log end ({newLag})");
        }

        if (Lag(run.New.OffsetsAtEnd, run.EndAtEnd) is { } afterStop)
        {
            problems.Add($"the new path did not keep going after the legacy path stopped: {run.New.Group} is behind the log end ({afterStop})");
        }

        var moved = run.EndAtAlignment.Keys
            .Where(p => run.Legacy.OffsetsAtEnd.GetValueOrDefault(p, -1) != run.Legacy.OffsetsAtAlignment.GetValueOrDefault(p, -1))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"partition {p.Partition}: {Offset(run.Legacy.OffsetsAtAlignment, p)} → {Offset(run.Legacy.OffsetsAtEnd, p)}"))
            .ToList();
        if (moved.Count > 0)
        {
            problems.Add($"the legacy group {run.Legacy.Group} moved after it was stopped ({string.Join(", ", moved)}), so a rollback cannot resume from where it stopped");
        }

        if (run.Legacy.AtAlignment is { } before && run.Legacy.AtEnd is { } after && after.TargetRows != before.TargetRows)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the legacy target changed after the legacy path stopped ({before.TargetRows} → {after.TargetRows} rows)"));
        }

        if (problems.Count > 0)
        {
            return new AssessmentRow(AssessmentArea.Rollback, null, AssessmentStatus.Red, $"Dual run of {names}: {string.Join("; ", problems)}.", figures) { Offsets = offsets };
        }

        var partitions = run.EndAtAlignment.Count;
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"Dual run of {names} into two tables: both reconciled side by side at {run.ProducedBeforeStop} records (legacy {run.Legacy.AtAlignment!.Verdict.ToName()} as {run.Legacy.Semantics.ToName()}, new {run.New.AtAlignment!.Verdict.ToName()} as {run.New.Semantics.ToName()}); "
            + $"{run.Legacy.Group} and {run.New.Group} committed the log end on all {partitions} partition(s); after the legacy path stopped ({run.StoppedWith}), {run.ProducedAfterStop} more records reached the new target only ({run.New.AtEnd!.Verdict.ToName()}) and the legacy group kept the offsets a rollback resumes from.");
        var yellow = new[] { run.Legacy.AtAlignment, run.New.AtAlignment, run.Legacy.AtEnd, run.New.AtEnd }.Any(r => r!.Verdict == Verdict.Yellow);
        return new AssessmentRow(AssessmentArea.Rollback, null, yellow ? AssessmentStatus.Yellow : AssessmentStatus.Green, summary, figures) { Offsets = offsets };
    }

    private static string Anomalies(ReconciliationReport report)
    {
        var found = report.Anomalies.Where(a => a.Count > 0 && !a.Allowed).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Count} {a.Kind.ToName()}")).ToList();
        return found.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{report.InTarget} of {report.Produced} records in the target")
            : string.Join(", ", found) + string.Create(CultureInfo.InvariantCulture, $" of {report.Produced} records");
    }

    // Null when every partition with records has a commit at (or past) the log end; else the lag per partition.
    private static string? Lag(IReadOnlyDictionary<SourcePartition, long> committed, IReadOnlyDictionary<SourcePartition, long> end)
    {
        if (end.Count == 0)
        {
            return "no log-end offsets were read";
        }

        var behind = end
            .Where(e => e.Value > 0 && committed.GetValueOrDefault(e.Key, -1) < e.Value)
            .OrderBy(e => e.Key.Partition)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"partition {e.Key.Partition}: committed {Offset(committed, e.Key)}, log end {e.Value}"))
            .ToList();
        return behind.Count == 0 ? null : string.Join(", ", behind);
    }

    private static string Offset(IReadOnlyDictionary<SourcePartition, long> offsets, SourcePartition partition) =>
        offsets.TryGetValue(partition, out var offset) ? offset.ToString(CultureInfo.InvariantCulture) : "none";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static List<AssessmentFigure> Figures(DualRunResult run)
    {
        var figures = new List<AssessmentFigure>
        {
            new("producedBeforeStop", run.ProducedBeforeStop, "records"),
            new("producedAfterStop", run.ProducedAfterStop, "records"),
        };
        foreach (var (name, report) in new[]
        {
            ("legacyInTarget", run.Legacy.AtAlignment),
            ("newInTarget", run.New.AtAlignment),
            ("newInTargetAfterStop", run.New.AtEnd),
        })
        {
            if (report is not null)
            {
                figures.Add(new AssessmentFigure(name, report.InTarget, "records"));
            }
        }

        if (run.EndAtAlignment.Count > 0)
        {
            var gap = run.EndAtAlignment.Keys.Max(p => Math.Abs(run.Legacy.OffsetsAtAlignment.GetValueOrDefault(p, 0) - run.New.OffsetsAtAlignment.GetValueOrDefault(p, 0)));
            figures.Add(new AssessmentFigure("partitions", run.EndAtAlignment.Count, "partitions"));
            figures.Add(new AssessmentFigure("largestOffsetGap", gap, "records"));
        }

        return figures;
    }

    private static List<AssessedOffsets> Offsets(DualRunResult run)
    {
        var offsets = new List<AssessedOffsets>();
        foreach (var (stage, end, legacy, next) in new[]
        {
            ("aligned", run.EndAtAlignment, run.Legacy.OffsetsAtAlignment, run.New.OffsetsAtAlignment),
            ("after-stop", run.EndAtEnd, run.Legacy.OffsetsAtEnd, run.New.OffsetsAtEnd),
        })
        {
            foreach (var (partition, logEnd) in end.OrderBy(e => e.Key.Partition))
            {
                offsets.Add(new AssessedOffsets(stage, run.Legacy.Group, partition.Partition, legacy.TryGetValue(partition, out var l) ? l : null, logEnd));
                offsets.Add(new AssessedOffsets(stage, run.New.Group, partition.Partition, next.TryGetValue(partition, out var n) ? n : null, logEnd));
            }
        }

        return offsets;
    }
}
