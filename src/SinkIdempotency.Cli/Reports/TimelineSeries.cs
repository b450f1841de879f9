using SinkIdempotency.Evidence;

namespace SinkIdempotency.Cli.Reports;

/// <summary>Extracts the plotted series from an evidence timeline: seconds since the first event against records.</summary>
/// <param name="CommittedAt">Seconds of each offsets observation.</param>
/// <param name="Committed">The sink group's committed offsets summed over partitions.</param>
/// <param name="End">The log-end offsets summed over partitions (records produced so far).</param>
/// <param name="TargetAt">Seconds of each target observation.</param>
/// <param name="TargetRows">The target's row count.</param>
/// <param name="FaultActions">Seconds and action name of each fault action.</param>
internal sealed record TimelineSeries(
    double[] CommittedAt,
    double[] Committed,
    double[] End,
    double[] TargetAt,
    double[] TargetRows,
    IReadOnlyList<(double At, string Action)> FaultActions)
{
    public bool IsEmpty => CommittedAt.Length == 0 && TargetAt.Length == 0 && FaultActions.Count == 0;

    public static TimelineSeries From(IReadOnlyList<EvidenceEvent> events)
    {
        if (events.Count == 0)
        {
            return new TimelineSeries([], [], [], [], [], []);
        }

        var start = events.Min(e => e.At);
        double Seconds(EvidenceEvent e) => (e.At - start).TotalSeconds;
        var offsets = events.OfType<OffsetsEvidence>().OrderBy(e => e.At).ToList();
        var targets = events.OfType<TargetEvidence>().OrderBy(e => e.At).ToList();
        var faults = events.OfType<FaultActionEvidence>().OrderBy(e => e.At).ToList();
        return new TimelineSeries(
            [.. offsets.Select(Seconds)],
            [.. offsets.Select(o => (double)o.Partitions.Sum(p => p.Committed ?? 0))],
            [.. offsets.Select(o => (double)o.Partitions.Sum(p => p.End))],
            [.. targets.Select(Seconds)],
            [.. targets.Select(t => (double)t.Rows)],
            [.. faults.Select(f => (Seconds(f), f.Action))]);
    }
}
