using SinkIdempotency.Assessment;

namespace SinkIdempotency.Tests.Assessment;

public sealed class RetentionRuleTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly IngestRate Peak100 = new(50, 100, 1000);

    private static long Ms(TimeSpan value) => (long)value.TotalMilliseconds;

    [Fact]
    public void Evaluate_NoRetentionReported_NotAssessedWithTheReason()
    {
        var row = RetentionRule.Evaluate("orders", null, "the cluster refused DescribeConfigs", Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Retention not assessed: the cluster refused DescribeConfigs.");
        row.Title.Should().Be("Kafka layer: retention of orders");
    }

    [Fact]
    public void Evaluate_RetentionMsShorterThanWindow_IsRedNamingTheFigure()
    {
        var row = RetentionRule.Evaluate("orders", new("orders", 3, Ms(Day) - 1, -1), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().StartWith("retention.ms=86,399,999 keeps");
        row.Figure("retentionMs")!.Value.Should().Be(Ms(Day) - 1);
    }

    [Fact]
    public void Evaluate_RetentionMsExactlyTheWindow_IsYellowForLackOfHeadroom()
    {
        var row = RetentionRule.Evaluate("orders", new("orders", 3, Ms(Day), -1), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("under 20 % more than the recovery window");
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(2 * 86_400_000L)]
    public void Evaluate_RetentionMsWithHeadroomAndNoSizeLimit_IsGreen(long retentionMs)
    {
        var row = RetentionRule.Evaluate("orders", new("orders", 3, retentionMs, -1), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("windowBytes").Should().BeNull("no size limit, so the window's bytes decide nothing");
    }

    [Fact]
    public void Evaluate_SizeLimitBelowTheWindowAtPeak_IsRed()
    {
        // Peak 100 records/s × 1000 B = 100 kB/s; one day = 8.64 GB; 3 partitions × 2 GB = 6 GB.
        var row = RetentionRule.Evaluate("orders", new("orders", 3, -1, 2_000_000_000), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("retention.bytes=2,000,000,000 per partition (6 GB over 3 partitions)").And.Contain("peak rate of 100 records/s");
        row.Figure("windowBytes")!.Value.Should().Be(8.64e9);
        row.Figure("retainedSecondsAtRate")!.Value.Should().Be(60_000);
    }

    [Fact]
    public void Evaluate_SizeLimitHoldsTheWindowOnlyAtAverage_IsYellow()
    {
        // 50 records/s × 1000 B × 86,400 s = 4.32 GB ≤ 6 GB, but no peak to check against.
        var row = RetentionRule.Evaluate("orders", new("orders", 3, -1, 2_000_000_000), null, Day, new IngestRate(50, null, 1000));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("at the average rate only");
        row.Figure("averageBytesPerSecond")!.Value.Should().Be(50_000);
    }

    [Fact]
    public void Evaluate_SizeLimitHoldsTheWindowAtPeakWithLittleSpare_IsYellow()
    {
        // 3 × 3 GB = 9 GB against 8.64 GB: 4 % to spare.
        var row = RetentionRule.Evaluate("orders", new("orders", 3, -1, 3_000_000_000), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("under 20 % to spare");
    }

    [Fact]
    public void Evaluate_SizeLimitHoldsTheWindowAtPeakWithHeadroom_IsGreen()
    {
        var row = RetentionRule.Evaluate("orders", new("orders", 3, Ms(3 * Day), 4_000_000_000), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Figure("peakBytesPerSecond")!.Value.Should().Be(100_000);
    }

    [Fact]
    public void Evaluate_TimeFitsButSizeDoesNot_IsRed()
    {
        var row = RetentionRule.Evaluate("orders", new("orders", 1, Ms(7 * Day), 1_000_000), null, Day, Peak100);

        row.Status.Should().Be(AssessmentStatus.Red);
    }
}
