using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Run;

/// <summary>Orders the cells of a run so the lanes take the longest first and finish together.</summary>
/// <remarks>
/// Lanes take the next cell as they come free; a long cell taken last keeps one lane busy while the others idle. The
/// estimate is what a cell waits for, not a measurement: the stream at the workload's rate, a quiet period to settle,
/// and what its fault adds (a stall to pass, a killed worker's session to expire, a withheld reply to time out, a second
/// settle after a replay). Cells with the same estimate keep the matrix order, and the scorecard always shows the matrix order.
/// </remarks>
internal static class RunOrder
{
    /// <summary>Returns the jobs, longest estimate first, in matrix order where estimates are equal.</summary>
    /// <typeparam name="TJob">The job type.</typeparam>
    /// <param name="jobs">The jobs in matrix order.</param>
    /// <param name="entry">Gets a job's matrix entry.</param>
    /// <returns>The jobs in the order the lanes should take them.</returns>
    public static IReadOnlyList<TJob> LongestFirst<TJob>(IReadOnlyList<TJob> jobs, Func<TJob, MatrixEntry> entry) =>
        [.. jobs.Select((job, i) => (Job: job, Index: i, Estimate: Estimate(entry(job).Scenario)))
            .OrderByDescending(j => j.Estimate)
            .ThenBy(j => j.Index)
            .Select(j => j.Job)];

    /// <summary>Estimates how long a cell keeps its lane.</summary>
    /// <param name="scenario">The cell's scenario.</param>
    /// <returns>The estimate.</returns>
    public static TimeSpan Estimate(Scenario scenario)
    {
        var workload = scenario.Workload;
        var stream = workload.RecordsPerSecond is { } rate ? TimeSpan.FromSeconds(workload.Records / rate) : TimeSpan.Zero;
        var estimate = stream + scenario.StableFor;
        var fault = scenario.Fault;
        if (fault is null)
        {
            return estimate;
        }

        if (fault is FetchStall stall)
        {
            estimate += stall.Options.Duration;
        }

        if (fault is TargetTimeout)
        {
            estimate += ReferenceMatrix.TargetReplyTimeout;
        }

        if (fault.RequiredCapabilities.HasFlag(EnvironmentCapabilities.KillWorker))
        {
            estimate += ReferenceMatrix.SessionTimeout;
        }

        if (fault.Timing == FaultTiming.AfterSettle)
        {
            estimate += stream + scenario.StableFor;
        }

        return estimate;
    }
}
