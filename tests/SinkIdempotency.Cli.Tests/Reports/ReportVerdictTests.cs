using SinkIdempotency.Cli.Reports;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Reports;

/// <summary>Headlines for failed tasks, and timeline plots that show sampling gaps as gaps.</summary>
public sealed class ReportVerdictTests
{
    private const string Trace = "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n\tat x\nCaused by: System.Text.Json.JsonReaderException: 'k' is an invalid start of a value.";

    [Fact]
    public void Headline_RedByAFailedTask_NamesTheFirstLineWithAShortClassAndTheAnomalies()
    {
        var entry = Entry(Verdict.Red, new TaskFailure { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = Trace, Attribution = "x" }) with { Forbidden = ["unseen"], Anomalies = ScorecardAnomalies.None with { Unseen = 300 } };

        entry.Headline.Should().Be("red: task failed: ConnectException: Tolerance exceeded in error handler; 300 unseen");
    }

    [Fact]
    public void Headline_RedWithNothingInTheTarget_SaysNoneReachedIt()
    {
        var entry = Entry(Verdict.Red) with { Produced = 1000, InTarget = 0, Forbidden = ["lost"], Anomalies = ScorecardAnomalies.None with { Lost = 1000 } };

        entry.Headline.Should().Be("red: 1000 lost; none reached the target");
    }

    [Fact]
    public void Headline_RedWithSomeRecordsInTheTarget_NamesOnlyTheAnomalies()
    {
        var entry = Entry(Verdict.Red) with { Produced = 1000, InTarget = 900, Forbidden = ["lost"], Anomalies = ScorecardAnomalies.None with { Lost = 100 } };

        entry.Headline.Should().Be("red: 100 lost");
    }

    [Fact]
    public void Headline_FirstLineLongerThanACell_IsCut()
    {
        var entry = Entry(Verdict.Red, new TaskFailure { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = "E: " + new string('x', 200) });

        entry.Headline.Should().HaveLength("red: task failed: ".Length + ScorecardEntry.MaxHeadlineLine).And.EndWith("x…");
    }

    [Fact]
    public void Headline_YellowStoppedByPoison_SaysSo()
    {
        var entry = Entry(Verdict.Yellow, new TaskFailure { Task = 0, At = DateTimeOffset.UnixEpoch, Trace = Trace, CausedByPoison = true }) with { Anomalies = ScorecardAnomalies.None with { Unseen = 499 } };

        entry.Headline.Should().Be("yellow: task stopped by a poison record; 499 unseen");
    }

    [Fact]
    public void Segments_SampleFailedBetweenTwoPoints_BreaksTheLineThere()
    {
        double[] at = [0, 1, 2, 3, 4];
        double[] values = [0, 10, 20, 30, 40];

        var segments = TimelineSeries.Segments(at, values, gaps: [2.5, 2.7]);

        segments.Should().HaveCount(2);
        segments[0].At.Should().Equal(0, 1, 2);
        segments[0].GapAfter.Should().Be((2.0, 3.0));
        segments[1].Values.Should().Equal(30, 40);
        segments[1].GapAfter.Should().BeNull();
    }

    [Fact]
    public void Segments_NoGap_IsOneRun()
    {
        var segments = TimelineSeries.Segments([0, 1], [5, 6], gaps: [7]);

        segments.Should().ContainSingle().Which.At.Should().Equal(0, 1);
    }

    [Fact]
    public void From_SampleGapEvidence_KeepsEachObservationsGapsApart()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var series = TimelineSeries.From(
        [
            new StepEvidence { At = t0, Step = "stream", Message = "started" },
            new SampleGapEvidence { At = t0.AddSeconds(1), Step = "stream", Observation = SampleGapEvidence.Target, Error = "boom" },
            new SampleGapEvidence { At = t0.AddSeconds(2), Step = "stream", Observation = SampleGapEvidence.Connector, Error = "dead worker" },
            new SampleGapEvidence { At = t0.AddSeconds(3), Step = "stream", Observation = SampleGapEvidence.Offsets, Error = "boom" },
        ]);

        series.TargetGaps.Should().Equal(1.0);
        series.OffsetGaps.Should().Equal(3.0);
    }

    [Fact]
    public void RenderPng_SeriesWithGaps_RendersAPng()
    {
        var series = new TimelineSeries([0, 1, 3], [0, 50, 100], [100, 100, 100], [0.5, 1.5, 3.5], [10, 40, 100], [(2.0, "kill-worker")], [2.0], [2.0, 2.5]);

        var png = TimelinePlot.RenderPng(series, "gaps");

        png.Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
    }

    private static ScorecardEntry Entry(Verdict verdict) =>
        ScorecardEntries.FromResult(Results.Make(Scenario.Named("s"), verdict), "c", 1, null);

    private static ScorecardEntry Entry(Verdict verdict, TaskFailure failure) =>
        ScorecardEntries.FromResult(Results.Make(Scenario.Named("s"), verdict) with { TaskFailures = [failure] }, "c", 1, null);
}
