using SinkIdempotency.Assessment;

namespace SinkIdempotency.Tests.Assessment;

public sealed class CostModelRuleTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // 50 000 records of 1 kB in 10 s with 2 tasks on 1 worker: 5 000 records/s, 5 MB/s, 2 500 records/s per task.
    private static readonly ReplayThroughput Measured = new(50_000, 50_000_000, TimeSpan.FromSeconds(10), Workers: 1, Tasks: 2);

    private static readonly IngestRate Rate = new(AverageRecordsPerSecond: 500, PeakRecordsPerSecond: 1000, RecordBytes: 1000);

    [Fact]
    public void Evaluate_OnlyAnAverageRate_IsRedSayingCapacityFromAverages()
    {
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate with { PeakRecordsPerSecond = null }, 12, TimeSpan.FromMinutes(30));

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Area.Should().Be(AssessmentArea.CostModel);
        row.Summary.Should().StartWith("The assessment file declares only an average rate (500 records/s)").And.Contain("Declare rate.peak");
        row.Figure("replayRecordsPerSecond")!.Value.Should().Be(5000);
        row.Figure("replayMegabytesPerSecond")!.Value.Should().Be(5);
    }

    [Fact]
    public void Evaluate_DeadlineMetWithinThePartitions_IsGreenWithTheSizing()
    {
        // Window at peak: 3.6 M records. Within 30 min: 2 000/s + 1 000/s peak = 3 000/s → 2 tasks of 2 500/s, 1 worker.
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, 12, TimeSpan.FromMinutes(30));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("windowRecordsAtPeak")!.Value.Should().Be(3_600_000);
        row.Figure("windowBytesAtPeak")!.Value.Should().Be(3_600_000_000);
        row.Figure("replaySecondsAtMeasuredRate")!.Value.Should().Be(720);
        row.Figure("catchUpSecondsAtPeak")!.Value.Should().Be(900);
        row.Figure("tasksNeeded")!.Value.Should().Be(2);
        row.Figure("workersNeeded")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_DeadlineNeedsMoreTasksThanPartitions_IsRed()
    {
        // Within 1 min: 60 000/s + 1 000/s → 25 tasks, but 12 partitions.
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, 12, TimeSpan.FromMinutes(1));

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Figure("tasksNeeded")!.Value.Should().Be(25);
        row.Summary.Should().Contain("needs 25 tasks").And.Contain("the topic has 12 partitions");
    }

    [Fact]
    public void Evaluate_WorkersScaleWithTheMeasuredTasksPerWorker()
    {
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, 64, TimeSpan.FromMinutes(5));

        // 12 000/s + 1 000/s over 2 500/s per task → 6 tasks; 2 tasks per worker → 3 workers.
        row.Figure("tasksNeeded")!.Value.Should().Be(6);
        row.Figure("workersNeeded")!.Value.Should().Be(3);
        row.Status.Should().Be(AssessmentStatus.Green);
    }

    [Fact]
    public void Evaluate_ReplayNotFasterThanThePeak_IsRedNeverCatchesUp()
    {
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate with { PeakRecordsPerSecond = 5000 }, 12, null);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("never catches up");
    }

    [Fact]
    public void Evaluate_NoDeadline_IsYellowWithTheReplayTime()
    {
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, 12, null);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("takes 12 min at the measured 5,000 records/s (15 min to catch up").And.Contain("no replay deadline is declared");
    }

    [Fact]
    public void Evaluate_NoReplayMeasured_IsNotAssessedWithTheReason()
    {
        var row = CostModelRule.Evaluate("orders", null, "the replay scenario was skipped", Hour, Rate, 12, null);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Cost model not assessed: the replay scenario was skipped.");
    }

    [Fact]
    public void Evaluate_PartitionsUnknownAndMoreThanOneTaskNeeded_IsYellowNotGreen()
    {
        // Two tasks needed within 30 min, and the cluster did not say how many partitions can share them.
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, null, TimeSpan.FromMinutes(30));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Figure("tasksNeeded")!.Value.Should().Be(2);
        row.Summary.Should().Contain("did not report the topic's partition count");
    }

    [Fact]
    public void Evaluate_PartitionsUnknownAndOneTaskEnough_IsGreen()
    {
        // Within 1 h: 1 000/s + 1 000/s peak over 2 500/s per task → 1 task, which any topic can feed.
        var row = CostModelRule.Evaluate("orders", Measured, null, Hour, Rate, null, Hour);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("tasksNeeded")!.Value.Should().Be(1);
    }
}
