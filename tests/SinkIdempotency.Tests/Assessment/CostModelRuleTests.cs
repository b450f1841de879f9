using SinkIdempotency.Assessment;

namespace SinkIdempotency.Tests.Assessment;

public sealed class CostModelRuleTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly IngestRate Peak100 = new(50, 100, 1000);

    // 1000 records in 2 s on one task and one worker: 500 records/s, 0.5 MB/s at 1000 B a record.
    private static readonly ReplayThroughput OneTask = new(1000, 1_000_000, TimeSpan.FromSeconds(2), 1, 1);

    [Fact]
    public void Evaluate_NoReplayMeasured_NotAssessedWithTheReason()
    {
        var row = CostModelRule.Evaluate("orders", null, "no replay scenario ran", Hour, Peak100, 3, Hour);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Cost model not assessed: no replay scenario ran.");
    }

    [Fact]
    public void Evaluate_OnlyAverageRate_IsRed()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, new IngestRate(50, null, 1000), 3, Hour);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("declares only an average rate (50 records/s)");
        row.Figure("replayRecordsPerSecond")!.Value.Should().Be(500);
        row.Figure("replayMegabytesPerSecond")!.Value.Should().Be(0.5);
    }

    [Fact]
    public void Evaluate_ReplayNotFasterThanPeak_IsRed()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, new IngestRate(null, 500, 1000), 3, Hour);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("never catches up");
    }

    [Fact]
    public void Evaluate_NoDeadline_IsYellowWithReplayAndCatchUpTimes()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, Peak100, 3, null);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Figure("windowRecordsAtPeak")!.Value.Should().Be(360_000);
        row.Figure("windowBytesAtPeak")!.Value.Should().Be(360_000_000);
        row.Figure("replaySecondsAtMeasuredRate")!.Value.Should().Be(720);
        row.Figure("catchUpSecondsAtPeak")!.Value.Should().Be(900);
        row.Figure("tasksNeeded").Should().BeNull();
    }

    [Fact]
    public void Evaluate_DeadlineReachableWithinPartitions_IsGreenAndSizesTasksAndWorkers()
    {
        // Two tasks on one worker, 500 records/s in all: 250 per task. Ten minutes: 360,000 / 600 + 100 = 700 records/s → 3 tasks → 2 workers.
        var measured = OneTask with { Tasks = 2 };

        var row = CostModelRule.Evaluate("orders", measured, null, Hour, Peak100, 3, TimeSpan.FromMinutes(10));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("tasksNeeded")!.Value.Should().Be(3);
        row.Figure("workersNeeded")!.Value.Should().Be(2);
        row.Figure("replayDeadlineSeconds")!.Value.Should().Be(600);
    }

    [Fact]
    public void Evaluate_PartitionsUnknownAndMoreThanOneTaskNeeded_IsYellowNotGreen()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, Peak100, null, TimeSpan.FromMinutes(10));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("did not report the topic's partition count");
    }

    [Fact]
    public void Evaluate_PartitionsUnknownAndOneTaskEnough_IsGreen()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, Peak100, null, TimeSpan.FromHours(2));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("tasksNeeded")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_DeadlineNeedsMoreTasksThanPartitions_IsRed()
    {
        var row = CostModelRule.Evaluate("orders", OneTask, null, Hour, Peak100, 1, TimeSpan.FromMinutes(10));

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("needs 2 tasks").And.Contain("the topic has 1 partitions");
    }
}
