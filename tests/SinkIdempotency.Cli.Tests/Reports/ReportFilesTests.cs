using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Reports;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Reports;

public sealed class ReportFilesTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static JsonObject Schema() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "scorecard.schema.json")))!.AsObject();

    [Fact]
    public void TimelinePlot_Series_RendersAPng()
    {
        var series = TimelineSeries.From(Timeline());

        var png = TimelinePlot.RenderPng(series, "crash-after-target-write/postgres-insert — red: 41 duplicated");

        png.Length.Should().BeGreaterThan(5000, "a 900×320 plot with three lines is not a blank image");
        png.Take(8).Should().Equal(PngSignature);
    }

    [Fact]
    public void TimelineSeries_Evidence_SumsPartitionsAndTimesFromTheFirstEvent()
    {
        var series = TimelineSeries.From(Timeline());

        series.CommittedAt.Should().Equal(0.5, 1.5);
        series.Committed.Should().Equal(0, 150);
        series.End.Should().Equal(200, 300);
        series.TargetAt.Should().Equal(1.0, 2.0);
        series.TargetRows.Should().Equal(120, 341);
        series.FaultActions.Should().ContainSingle().Which.Action.Should().Be("kill-worker");
        series.FaultActions[0].At.Should().BeApproximately(1.2, 0.001);
    }

    [Fact]
    public async Task WriteAsync_Scorecard_WritesJsonMarkdownHtmlAndPlotsThatMatchTheSchema()
    {
        var scorecard = Sample();
        var outDir = Path.Combine(_folder.Path, "out");

        var files = await ReportWriter.WriteAsync(outDir, scorecard, TestContext.Current.CancellationToken);

        files.Select(Path.GetFileName).Should().Contain(["scorecard.json", "scorecard.md", "report.html"]);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")));
        JsonSchemaCheck.Validate(json, Schema()).Should().BeEmpty();
        json!["environment"]!.GetValue<string>().Should().Be("fake");
        var red = json["scenarios"]![0]!;
        red["verdict"]!.GetValue<string>().Should().Be("red");
        red["fault"]!.GetValue<string>().Should().Be("crash-after-target-write");
        red["anomalies"]!["duplicated"]!.GetValue<long>().Should().Be(41);
        red["forbidden"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("duplicated");
        red["headline"]!.GetValue<string>().Should().Be("red: 41 duplicated");
        json["scenarios"]![1]!["verdict"]!.GetValue<string>().Should().Be("skipped");

        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        html.Should().StartWith("<!DOCTYPE html>").And.Contain("data:image/png;base64,iVBORw0KGgo").And.Contain("red: 41 duplicated");
        html.Should().NotContain("src=\"http", "the page is self-contained");
        var plot = File.ReadAllBytes(Path.Combine(outDir, "plots", "crash-after-target-write-postgres-insert.png"));
        plot.Take(8).Should().Equal(PngSignature);
        File.ReadAllText(Path.Combine(outDir, "scorecard.md")).Should().Contain("| crash-after-target-write | 🔴 red: 41 duplicated |");
    }

    [Fact]
    public void SchemaCheck_DocumentMissingAFieldOrWithABadVerdict_IsRejected()
    {
        var json = ScorecardJson.ToNode(Sample());
        json["scenarios"]![0]!.AsObject().Remove("inTarget");
        json["scenarios"]![1]!["verdict"] = "purple";

        JsonSchemaCheck.Validate(json, Schema()).Should().BeEquivalentTo(
            "$.scenarios[0]: missing required property 'inTarget'",
            "$.scenarios[1].verdict: \"purple\" is not one of [\"green\",\"yellow\",\"red\",\"skipped\",\"error\",\"not-applicable\"]");
    }

    [Fact]
    public void Markdown_HugeScorecard_StaysUnderTheLimitAndSaysItTruncated()
    {
        var scenario = Scenario.Named("x").WithFault(new SinkIdempotency.Faults.Replay());
        var entries = Enumerable.Range(1, 3000).Select(i => ScorecardEntries.FromResult(Results.Make(scenario, Verdict.Red, duplicated: i) with { Reasons = [new string('r', 500)] }, "c", i, null)).ToList();
        var scorecard = new Scorecard { Environment = "fake", StartedAt = DateTimeOffset.UnixEpoch, DurationMs = 1, Scenarios = entries };

        var markdown = ScorecardMarkdown.ToMarkdown(scorecard, 100_000);

        System.Text.Encoding.UTF8.GetByteCount(markdown).Should().BeLessThanOrEqualTo(100_000);
        markdown.Should().Contain("Further details truncated");
    }

    [Fact]
    public async Task StepSummary_FileNearTheLimit_AppendsNothing()
    {
        var path = _folder.File("summary.md", new string('x', StepSummary.LimitBytes - 500));

        var appended = await StepSummary.AppendAsync(path, Sample(), TestContext.Current.CancellationToken);

        appended.Should().Be(0);
        new FileInfo(path).Length.Should().Be(StepSummary.LimitBytes - 500);
    }

    private static Scorecard Sample()
    {
        var timeline = new EvidenceTimeline();
        foreach (var e in Timeline())
        {
            timeline.Add(e);
        }

        var red = Scenario.Named("crash-after-target-write/postgres-insert").WithFault(new SinkIdempotency.Faults.CrashAfterTargetWrite());
        var skipped = Scenario.Named("replay/postgres-insert").WithFault(new SinkIdempotency.Faults.Replay());
        return new Scorecard
        {
            Environment = "fake",
            StartedAt = DateTimeOffset.UnixEpoch,
            DurationMs = 3000,
            Scenarios =
            [
                ScorecardEntries.FromResult(Results.Make(red, Verdict.Red, duplicated: 41, evidence: timeline), "postgres-insert", 1, "evidence/crash-after-target-write-postgres-insert.json"),
                ScorecardEntries.FromResult(Results.Make(skipped, null, skipReason: "no offsets API"), "postgres-insert", 1, null),
            ],
        };
    }

    private static List<EvidenceEvent> Timeline()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return
        [
            new StepEvidence { At = t0, Step = "deploy", Message = "started" },
            new OffsetsEvidence { At = t0.AddSeconds(0.5), Step = "stream", Label = "sample", Partitions = [new("t", 0, 100, null), new("t", 1, 100, null)] },
            new TargetEvidence { At = t0.AddSeconds(1), Step = "stream", Target = "t", Rows = 120, Checksum = "00" },
            new FaultActionEvidence { At = t0.AddSeconds(1.2), Step = "fault", Fault = "crash-after-target-write", Action = "kill-worker", Detail = "killed" },
            new OffsetsEvidence { At = t0.AddSeconds(1.5), Step = "settle", Label = "sample", Partitions = [new("t", 0, 150, 100), new("t", 1, 150, 50)] },
            new TargetEvidence { At = t0.AddSeconds(2), Step = "settle", Target = "t", Rows = 341, Checksum = "01" },
        ];
    }
}
