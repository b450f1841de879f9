using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Tests.Support;

namespace SinkIdempotency.Cli.Tests.Assessment;

public sealed class AssessCompareTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 0, TimeSpan.Zero);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Compare_RowsDifferInStatus_ExitsOneAndNamesThem()
    {
        var a = Write("a.json", Card("embedded", AssessmentStatus.Green, 1200, retentionMs: 604_800_000));
        var b = Write("b.json", Card("embedded@librdkafka-mock", AssessmentStatus.NotAssessed, 900, retentionMs: null, rollback: false));

        var (code, output, error) = await Support.Cli.InvokeAsync(new FakeSessions(AssessCommandTests.Green), null, "assess", "--compare", a, b);

        code.Should().Be(1, error);
        output.Should().Contain("A: embedded").And.Contain("B: embedded@librdkafka-mock");
        output.Should().MatchRegex(@"Kafka layer: retention of orders\s+│ green\s+│ not-assessed\s+│ yes");
        output.Should().Contain("* replayRecordsPerSecond: 1,200 → 900 records/s");
        output.Should().Contain("* retentionMs: 604,800,000 → absent ms");
        output.Should().Contain("partitions: 3 partitions").And.NotContain("* partitions");
        output.Should().Contain("2 of 4 rows differ in status: Kafka layer: retention of orders, Rollback.");
        output.Should().NotContain("running ", "comparing runs nothing");
    }

    [Fact]
    public async Task Compare_SameStatusesDifferentFigures_ExitsZero()
    {
        var a = Write("a.json", Card("embedded", AssessmentStatus.Green, 1200, retentionMs: 604_800_000));
        var b = Write("b.json", Card("embedded@msk", AssessmentStatus.Green, 800, retentionMs: 604_800_000));

        var (code, output, _) = await Support.Cli.InvokeAsync(new FakeSessions(AssessCommandTests.Green), null, "assess", "--compare", a, b);

        code.Should().Be(0);
        output.Should().Contain("Every row has the same status in both assessments (4 rows).");
        output.Should().Contain("* replayRecordsPerSecond: 1,200 → 800 records/s");
    }

    [Theory]
    [InlineData("{\"rows\": []}", "not an assessment.json: no schemaVersion")]
    [InlineData("{\"schemaVersion\": 2}", "schemaVersion 2 is not supported; this version reads 1")]
    [InlineData("{\"schemaVersion\": 1, \"name\": \"x\", \"environment\": \"e\", \"generatedAt\": \"2025-01-01T00:00:00Z\", \"rows\": [{\"area\": \"kafka\"}]}", "unknown area 'kafka'")]
    [InlineData("nope", "not JSON")]
    public async Task Compare_NotAnAssessment_ExitsTwoNamingTheFileAndTheProblem(string text, string message)
    {
        var a = Write("a.json", Card("embedded", AssessmentStatus.Green, 1, 1));
        var b = Write("b.json", text);

        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(AssessCommandTests.Green), null, "assess", "--compare", a, b);

        code.Should().Be(2);
        error.Should().Contain(b + ": ").And.Contain(message);
    }

    [Fact]
    public async Task Compare_MissingFile_ExitsTwo()
    {
        var a = Write("a.json", Card("embedded", AssessmentStatus.Green, 1, 1));

        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(AssessCommandTests.Green), null, "assess", "--compare", a, Path.Combine(_folder.Path, "none.json"));

        code.Should().Be(2);
        error.Should().Contain("none.json: cannot read it");
    }

    [Theory]
    [InlineData(new[] { "assess" }, "Give the assessment file to run")]
    [InlineData(new[] { "assess", "x.yaml", "--compare", "a.json", "b.json" }, "not both")]
    [InlineData(new[] { "assess", "--compare", "a.json" }, "--compare")]
    [InlineData(new[] { "assess", "--compare", "a.json", "b.json", "--out", "dir" }, "--out has no effect with --compare")]
    public async Task Assess_BadCompareUsage_ExitsTwoWithAMessage(string[] args, string message)
    {
        var sessions = new FakeSessions(AssessCommandTests.Green);

        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, args);

        code.Should().Be(2);
        error.Should().Contain(message);
        sessions.WorkDirectories.Should().BeEmpty();
    }

    [Fact]
    public void FromJson_ToJson_RoundTripsEveryField()
    {
        var card = Card("embedded", AssessmentStatus.Red, 12.5, null);
        card = card with { Rows = [.. card.Rows, new AssessmentRow(AssessmentArea.KafkaLayer, "x", AssessmentStatus.Yellow, "s", [new("f", double.PositiveInfinity, "s")], "plan")] };

        var back = AssessmentScorecard.FromJson(card.ToJson());

        back.Should().BeEquivalentTo(card);
    }

    private static AssessmentScorecard Card(string environment, AssessmentStatus retention, double replay, long? retentionMs, bool rollback = true)
    {
        List<AssessmentFigure> retentionFigures = retentionMs is { } ms ? [new("retentionMs", ms, "ms"), new("partitions", 3, "partitions")] : [new("partitions", 3, "partitions")];
        List<AssessmentRow> rows =
        [
            new(AssessmentArea.ConnectorSemantics, "postgres-upsert", AssessmentStatus.Green, "All green.", [new("green", 7, "scenarios")]),
            new(AssessmentArea.KafkaLayer, "retention of orders", retention, "Retention.", retentionFigures),
            new(AssessmentArea.CostModel, "replay of orders", AssessmentStatus.Green, "Cost.", [new("replayRecordsPerSecond", replay, "records/s")]),
        ];
        if (rollback)
        {
            rows.Add(new(AssessmentArea.Rollback, null, AssessmentStatus.NotAssessed, "No dual run.", []));
        }

        return new AssessmentScorecard("orders poc", environment, At, rows);
    }

    private string Write(string name, AssessmentScorecard card) => Write(name, card.ToJson());

    private string Write(string name, string text) => _folder.File(name, text);
}
