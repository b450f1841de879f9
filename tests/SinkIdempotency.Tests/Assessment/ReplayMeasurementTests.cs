using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Assessment;

public sealed class ReplayMeasurementTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddHours(1);

    [Fact]
    public void Measure_ReplayThatCatchesUp_CountsFromTheLowestResetOffsetToTheFirstCaughtUpSample()
    {
        var timeline = Timeline(
            Offsets(-1, (0, 600, 600), (1, 400, 400)),
            Resume(0),
            Offsets(0.5, (0, 600, 100), (1, 400, 0)),
            Offsets(1.5, (0, 600, 600), (1, 400, 300)),
            Offsets(4, (0, 600, 600), (1, 400, 400)),
            Offsets(5, (0, 600, 600), (1, 400, 400)));

        var measured = ReplayMeasurement.Measure(AssessedRuns.Result(Scenario(), Verdict.Green, evidence: timeline), 200, 2);

        measured.Should().NotBeNull();
        measured!.Records.Should().Be(900, "partition 0 replayed from 100 and partition 1 from 0");
        measured.Duration.Should().Be(TimeSpan.FromSeconds(4));
        measured.Bytes.Should().Be(180_000);
        measured.Tasks.Should().Be(2);
        measured.RecordsPerSecond.Should().Be(225);
    }

    [Fact]
    public void Measure_NoResume_ReturnsNull()
    {
        var timeline = Timeline(Offsets(1, (0, 600, 0)), Offsets(2, (0, 600, 600)));

        ReplayMeasurement.Measure(AssessedRuns.Result(Scenario(), Verdict.Green, evidence: timeline), 200, 1).Should().BeNull();
    }

    [Fact]
    public void Measure_NeverCaughtUp_ReturnsNull()
    {
        var timeline = Timeline(Resume(0), Offsets(1, (0, 600, 0)), Offsets(2, (0, 600, 599)));

        ReplayMeasurement.Measure(AssessedRuns.Result(Scenario(), Verdict.Green, evidence: timeline), 200, 1).Should().BeNull();
    }

    private static SinkIdempotency.Scenarios.Scenario Scenario() => AssessedRuns.Run("pg", "replay", Verdict.Green).Scenario;

    private static EvidenceTimeline Timeline(params EvidenceEvent[] events)
    {
        var timeline = new EvidenceTimeline();
        foreach (var e in events)
        {
            timeline.Add(e);
        }

        return timeline;
    }

    private static FaultActionEvidence Resume(double seconds) =>
        new() { At = Start.AddSeconds(seconds), Step = "fault", Fault = "replay", Action = "resume-connector", Detail = "Resumed." };

    private static OffsetsEvidence Offsets(double seconds, params (int Partition, long End, long Committed)[] partitions) =>
        new() { At = Start.AddSeconds(seconds), Step = "settle", Label = "committed", Partitions = [.. partitions.Select(p => new PartitionOffsets("t", p.Partition, p.End, p.Committed))] };
}
