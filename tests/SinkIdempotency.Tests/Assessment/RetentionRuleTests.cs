using SinkIdempotency.Assessment;

namespace SinkIdempotency.Tests.Assessment;

public sealed class RetentionRuleTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    // 1000 records/s peak of 1 kB = 1 MB/s; a week is 604.8 GB.
    private static readonly IngestRate Rate = new(AverageRecordsPerSecond: 200, PeakRecordsPerSecond: 1000, RecordBytes: 1000);

    [Fact]
    public void Evaluate_RetentionMsShorterThanTheWindow_IsRedNamingRetentionMs()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, TimeSpan.FromDays(3).Ticks / TimeSpan.TicksPerMillisecond, -1), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Area.Should().Be(AssessmentArea.KafkaLayer);
        row.Summary.Should().StartWith("retention.ms=259,200,000 keeps 3 d, less than the declared recovery window of 7 d");
    }

    [Fact]
    public void Evaluate_RetentionBytesTooSmallAtPeak_IsRedNamingRetentionBytesAndTheRate()
    {
        // 6 × 50 GB = 300 GB keeps 300 000 s (3.47 d) at 1 MB/s.
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, 50_000_000_000), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("retention.bytes=50,000,000,000 per partition (300 GB over 6 partitions) keeps 3.47 d at the peak rate of 1,000 records/s");
        row.Figure("windowBytes")!.Value.Should().Be(604_800_000_000);
        row.Figure("retainedSecondsAtRate")!.Value.Should().Be(300_000);
    }

    [Fact]
    public void Evaluate_BytesFitAtAverageButNotAtPeak_IsRedBecausePeakDecides()
    {
        // 6 × 30 GB = 180 GB: a week at the average (0.2 MB/s) is 121 GB and fits; at the peak it does not.
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, 30_000_000_000), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Red);
    }

    [Fact]
    public void Evaluate_BothLimitsHoldTheWindowWithHeadroom_IsGreen()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, TimeSpan.FromDays(14).Ticks / TimeSpan.TicksPerMillisecond, 200_000_000_000), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Subject.Should().Be("retention of orders");
    }

    [Fact]
    public void Evaluate_InfiniteRetention_IsGreenWithoutARate()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, -1), null, Week, new IngestRate(null, null, 1000));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Summary.Should().Contain("retention.ms=-1 (forever)");
    }

    [Fact]
    public void Evaluate_BytesHoldTheWindowWithUnderTwentyPercentSpare_IsYellow()
    {
        // 6 × 110 GB = 660 GB: 1.09 × the week's 604.8 GB.
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, 110_000_000_000), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("under 20 % to spare");
    }

    [Fact]
    public void Evaluate_RetentionMsJustOverTheWindow_IsYellow()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, TimeSpan.FromDays(8).Ticks / TimeSpan.TicksPerMillisecond, -1), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Yellow);
    }

    [Fact]
    public void Evaluate_SizeLimitAndOnlyAnAverageRate_IsYellowAskingForThePeak()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, 200_000_000_000), null, Week, Rate with { PeakRecordsPerSecond = null });

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("at the average rate only; declare rate.peak");
        row.Figure("averageBytesPerSecond")!.Value.Should().Be(200_000);
    }

    [Fact]
    public void Evaluate_NoConfigsFromTheCluster_IsNotAssessedWithTheReason()
    {
        var row = RetentionRule.Evaluate("orders", null, "the Kafka at 127.0.0.1:9092 does not serve DescribeConfigs (32)", Week, Rate);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Retention not assessed: the Kafka at 127.0.0.1:9092 does not serve DescribeConfigs (32).");
    }

    [Fact]
    public void Evaluate_SizeLimitAndNoRate_IsNotAssessed()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, -1, 1_000_000), null, Week, new IngestRate(null, null, 1000));

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
    }

    [Fact]
    public void Evaluate_RetentionMsExactlyTheWindow_IsYellowNotRed()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, (long)Week.TotalMilliseconds, -1), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Yellow, "the window fits, with no headroom for whole-segment deletion");
        row.Summary.Should().Contain("under 20 % more than the recovery window");
    }

    [Fact]
    public void Evaluate_RetentionMsOneMillisecondShort_IsRed()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, (long)Week.TotalMilliseconds - 1, -1), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Red);
    }

    [Fact]
    public void Evaluate_TwiceTheWindowAndNoSizeLimit_IsGreenWithoutByteFigures()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 6, 2 * (long)Week.TotalMilliseconds, -1), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("windowBytes").Should().BeNull("without a size limit the window's bytes decide nothing");
    }

    [Fact]
    public void Evaluate_TimeFitsButSizeDoesNot_IsRed()
    {
        var row = RetentionRule.Evaluate("orders", new TopicRetention("orders", 1, 3 * (long)Week.TotalMilliseconds, 1_000_000), null, Week, Rate);

        row.Status.Should().Be(AssessmentStatus.Red);
    }
}
