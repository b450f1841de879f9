using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Measures a sink's replay throughput from a replay run's evidence timeline.</summary>
/// <remarks>
/// The replay starts when the fault resumes the connector (<c>resume-connector</c>) and ends at the first offsets sample in which the
/// connector's committed offsets reach the end of every partition again; the records replayed are the end offsets minus the lowest committed
/// offsets sampled after the reset. Committed offsets move only at each offset flush, so the measured rate is a lower bound.
/// </remarks>
internal static class ReplayMeasurement
{
    /// <summary>Measures one run, or returns <see langword="null"/> when the run holds no complete replay.</summary>
    /// <param name="result">A run of the replay failure case.</param>
    /// <param name="recordBytes">The bytes each record counts for (the topic's declared record size).</param>
    /// <param name="tasks">The connector's tasks (<c>tasks.max</c>).</param>
    /// <returns>The throughput, or <see langword="null"/>.</returns>
    public static ReplayThroughput? Measure(ScenarioResult result, long recordBytes, int tasks)
    {
        ArgumentNullException.ThrowIfNull(result);
        var events = result.Evidence.Snapshot();
        var resumed = events.OfType<FaultActionEvidence>().LastOrDefault(e => e.Action == "resume-connector");
        if (resumed is null)
        {
            return null;
        }

        var after = events.OfType<OffsetsEvidence>().Where(e => e.At >= resumed.At && e.Partitions.Count > 0).ToList();
        var done = after.FirstOrDefault(e => e.Partitions.All(p => p.Committed is { } c && c >= p.End));
        if (done is null)
        {
            return null;
        }

        var start = after.TakeWhile(e => e != done).Concat([done])
            .SelectMany(e => e.Partitions)
            .GroupBy(p => (p.Topic, p.Partition))
            .Sum(g => g.Min(p => p.Committed ?? 0));
        var records = done.Partitions.Sum(p => p.End) - start;
        var duration = done.At - resumed.At;
        var workers = events.OfType<AssignmentEvidence>().Where(e => e.At <= done.At).Select(e => e.After.Values.OfType<string>().Distinct(StringComparer.Ordinal).Count()).LastOrDefault();
        return records <= 0 || duration <= TimeSpan.Zero
            ? null
            : new ReplayThroughput(records, records * recordBytes, duration, Math.Max(1, workers), Math.Max(1, tasks));
    }
}
