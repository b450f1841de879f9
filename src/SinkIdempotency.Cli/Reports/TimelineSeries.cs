using SinkIdempotency.Evidence;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Extracts the plotted series from an evidence timeline: seconds since the first event against records.</summary>
/// <param name="CommittedAt">Seconds of each offsets observation.</param>
/// <param name="Committed">The sink group's committed offsets summed over partitions.</param>
/// <param name="End">The log-end offsets summed over partitions (records produced so far).</param>
/// <param name="TargetAt">Seconds of each target observation.</param>
/// <param name="TargetRows">The target's row count.</param>
/// <param name="FaultActions">Seconds and action name of each fault action.</param>
/// <param name="OffsetGaps">Seconds at which sampling the offsets failed.</param>
/// <param name="TargetGaps">Seconds at which sampling the target failed.</param>
internal sealed record TimelineSeries(
    double[] CommittedAt,
    double[] Committed,
    double[] End,
    double[] TargetAt,
    double[] TargetRows,
    IReadOnlyList<(double At, string Action)> FaultActions,
    double[] OffsetGaps,
    double[] TargetGaps)
{
    public bool IsEmpty => CommittedAt.Length == 0 && TargetAt.Length == 0 && FaultActions.Count == 0;

    public static TimelineSeries From(IReadOnlyList<EvidenceEvent> events)
    {
        if (events.Count == 0)
        {
            return new TimelineSeries([], [], [], [], [], [], [], []);
        }

        var start = events.Min(e => e.At);
        double Seconds(EvidenceEvent e) => (e.At - start).TotalSeconds;
        var offsets = events.OfType<OffsetsEvidence>().OrderBy(e => e.At).ToList();
        var targets = events.OfType<TargetEvidence>().OrderBy(e => e.At).ToList();
        var faults = events.OfType<FaultActionEvidence>().OrderBy(e => e.At).ToList();
        var gaps = events.OfType<SampleGapEvidence>().OrderBy(e => e.At).ToList();
        return new TimelineSeries(
            [.. offsets.Select(Seconds)],
            [.. offsets.Select(o => (double)o.Partitions.Sum(p => p.Committed ?? 0))],
            [.. offsets.Select(o => (double)o.Partitions.Sum(p => p.End))],
            [.. targets.Select(Seconds)],
            [.. targets.Select(t => (double)t.Rows)],
            [.. faults.Select(f => (Seconds(f), f.Action))],
            [.. gaps.Where(g => g.Observation == SampleGapEvidence.Offsets).Select(Seconds)],
            [.. gaps.Where(g => g.Observation == SampleGapEvidence.Target).Select(Seconds)]);
    }

    /// <summary>Splits a series where a sample failed between two of its points, so a plot draws a gap there instead of a line nobody observed.</summary>
    /// <param name="at">The seconds of the points, ascending.</param>
    /// <param name="values">The values of the points.</param>
    /// <param name="gaps">The seconds at which a sample of this series failed.</param>
    /// <returns>The runs of points between gaps, each with the interval of the gap after it (or <see langword="null"/> for the last).</returns>
    public static IReadOnlyList<(double[] At, double[] Values, (double From, double To)? GapAfter)> Segments(double[] at, double[] values, double[] gaps)
    {
        var segments = new List<(double[], double[], (double, double)?)>();
        var first = 0;
        for (var i = 1; i <= at.Length; i++)
        {
            var broken = i < at.Length && gaps.Any(g => g > at[i - 1] && g < at[i]);
            if (i == at.Length || broken)
            {
                segments.Add((at[first..i], values[first..i], broken ? (at[i - 1], at[i]) : null));
                first = i;
            }
        }

        return segments;
    }
}
