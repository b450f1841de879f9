namespace SinkIdempotency.Assessment;

/// <summary>Grades the cost model from the sink's measured replay throughput against the declared recovery window at the declared peak rate.</summary>
/// <remarks>
/// <para>
/// Figures: the measured throughput (records/s, MB/s); the records and bytes the window holds at the peak rate; the time to
/// replay the window at the measured rate; the time to catch up while new records keep arriving at the peak rate; and, with
/// a declared deadline, the tasks and workers that catch up within it.
/// </para>
/// <para>
/// Sizing assumes throughput grows linearly with tasks up to one task per partition (a sink task reads whole partitions, so
/// more tasks than partitions add nothing); the measured per-task rate is the replay's rate over its tasks. Catching up
/// needs <c>n × perTask − peak ≥ windowRecords ÷ deadline</c>.
/// </para>
/// <para>
/// Red when the file declares only an average rate ("capacity is planned from average throughput only"), when the
/// measured replay is not faster than the peak ingest (the sink never catches up), or when the deadline needs more tasks
/// than the topic has partitions. Yellow when no deadline is declared (workers are not sized). Not assessed without a
/// measured replay.
/// </para>
/// </remarks>
public static class CostModelRule
{
    /// <summary>Grades the cost model of one topic.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="throughput">The measured replay, or <see langword="null"/> when no replay ran.</param>
    /// <param name="notAssessedReason">Why no replay was measured; used when <paramref name="throughput"/> is <see langword="null"/>.</param>
    /// <param name="recoveryWindow">The largest replay the team plans.</param>
    /// <param name="rate">The declared ingest rate.</param>
    /// <param name="partitions">The topic's partitions (the most tasks that help), or <see langword="null"/> when the cluster did not report them; a sizing that needs more than one task is then yellow, never green.</param>
    /// <param name="replayDeadline">How long the team may take to replay the window, or <see langword="null"/> when not declared.</param>
    /// <returns>The graded row with its figures.</returns>
    public static AssessmentRow Evaluate(string topic, ReplayThroughput? throughput, string? notAssessedReason, TimeSpan recoveryWindow, IngestRate rate, int? partitions, TimeSpan? replayDeadline)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(recoveryWindow, TimeSpan.Zero);
        if (partitions is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(p, 1, nameof(partitions));
        }

        if (throughput is null || throughput.Records <= 0 || throughput.Duration <= TimeSpan.Zero || throughput.Tasks < 1 || throughput.Workers < 1)
        {
            return Row(topic, AssessmentStatus.NotAssessed, $"Cost model not assessed: {notAssessedReason ?? "no replay was measured"}.", []);
        }

        var measured = throughput.RecordsPerSecond;
        var figures = new List<AssessmentFigure>
        {
            new("replayRecordsPerSecond", measured, "records/s"),
            new("replayMegabytesPerSecond", throughput.MegabytesPerSecond, "MB/s"),
            new("replayTasks", throughput.Tasks, "tasks"),
            new("replayWorkers", throughput.Workers, "workers"),
        };
        if (rate.PeakRecordsPerSecond is not { } peak)
        {
            return Row(topic, AssessmentStatus.Red, $"The assessment file declares only an average rate{(rate.AverageRecordsPerSecond is { } average ? $" ({AssessmentText.Number(average)} records/s)" : string.Empty)}: capacity planned from average throughput misses the peaks. Declare rate.peak; the sink replayed {AssessmentText.Number(measured)} records/s.", figures);
        }

        var windowRecords = peak * recoveryWindow.TotalSeconds;
        var replaySeconds = windowRecords / measured;
        figures.Add(new("windowRecordsAtPeak", windowRecords, "records"));
        figures.Add(new("windowBytesAtPeak", windowRecords * rate.RecordBytes, "bytes"));
        figures.Add(new("replaySecondsAtMeasuredRate", replaySeconds, "s"));
        var window = AssessmentText.Duration(recoveryWindow);
        if (measured <= peak)
        {
            return Row(topic, AssessmentStatus.Red, $"The sink replayed {AssessmentText.Number(measured)} records/s with {throughput.Tasks} task(s), not faster than the peak ingest of {AssessmentText.Number(peak)} records/s: a replay of the {window} window never catches up at the measured parallelism.", figures);
        }

        var catchUpSeconds = windowRecords / (measured - peak);
        figures.Add(new("catchUpSecondsAtPeak", catchUpSeconds, "s"));
        if (replayDeadline is not { } deadline)
        {
            return Row(topic, AssessmentStatus.Yellow, $"Replaying the {window} window ({AssessmentText.Number(windowRecords)} records at the peak rate) takes {AssessmentText.Duration(TimeSpan.FromSeconds(replaySeconds))} at the measured {AssessmentText.Number(measured)} records/s ({AssessmentText.Duration(TimeSpan.FromSeconds(catchUpSeconds))} to catch up with the peak ingest); no replay deadline is declared, so the workers are not sized.", figures);
        }

        var perTask = measured / throughput.Tasks;
        var tasksNeeded = (int)Math.Ceiling(((windowRecords / deadline.TotalSeconds) + peak) / perTask);
        var tasksPerWorker = (double)throughput.Tasks / throughput.Workers;
        var workersNeeded = (int)Math.Ceiling(tasksNeeded / tasksPerWorker);
        figures.Add(new("replayDeadlineSeconds", deadline.TotalSeconds, "s"));
        figures.Add(new("tasksNeeded", tasksNeeded, "tasks"));
        figures.Add(new("workersNeeded", workersNeeded, "workers"));
        if (partitions is null && tasksNeeded > 1)
        {
            return Row(topic, AssessmentStatus.Yellow, $"Catching up on the {window} window within {AssessmentText.Duration(deadline)} needs {tasksNeeded} tasks on {workersNeeded} worker(s) at the measured {AssessmentText.Number(perTask)} records/s per task, but the cluster did not report the topic's partition count, so whether {tasksNeeded} tasks can share it is not checked.", figures);
        }

        return tasksNeeded > partitions
            ? Row(topic, AssessmentStatus.Red, $"Catching up on the {window} window within {AssessmentText.Duration(deadline)} needs {tasksNeeded} tasks at the measured {AssessmentText.Number(perTask)} records/s per task, but the topic has {partitions} partitions, so at most {partitions} tasks help; add partitions, speed up the sink, or declare a longer deadline.", figures)
            : Row(topic, AssessmentStatus.Green, $"Catching up on the {window} window within {AssessmentText.Duration(deadline)} at the peak rate needs {tasksNeeded} task(s) on {workersNeeded} worker(s) at the measured {AssessmentText.Number(perTask)} records/s per task ({AssessmentText.Number(throughput.MegabytesPerSecond)} MB/s measured in all).", figures);
    }

    private static AssessmentRow Row(string topic, AssessmentStatus status, string summary, IReadOnlyList<AssessmentFigure> figures) =>
        new(AssessmentArea.CostModel, $"replay of {topic}", status, summary, figures);
}
