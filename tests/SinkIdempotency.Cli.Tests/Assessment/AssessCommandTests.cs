using System.Text.Json;
using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Assessment;

public sealed class AssessCommandTests : IDisposable
{
    private const string Upsert = """
        name: orders poc
        connectors:
          reference: postgres-upsert
        topics:
          - name: orders
            recoveryWindow: 1h
            recordBytes: 500
            rate: { average: 50, peak: 100 }
        offsets:
          resetPrincipals: [User:ops]
        replayDeadline: 2h
        """;

    private const string Rollback = """

        rollback:
          legacy: { connector.class: JdbcSinkConnector, name: orders-v1, insert.mode: insert }
          new: { connector.class: JdbcSinkConnector, name: orders-v2, insert.mode: upsert, pk.mode: record_key }
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Assess_EverythingMeasuredGreen_ExitsZeroAndWritesBothFiles()
    {
        var sessions = new FakeSessions(Green) { KafkaFacts = GoodFacts() };
        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(0, error);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken)).RootElement;
        var rows = json.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("title").GetString()!, r => r.GetProperty("status").GetString());
        rows["Connector semantics: postgres-upsert"].Should().Be("green");
        rows["Kafka layer: retention of orders"].Should().Be("green");
        rows["Kafka layer: offset reset"].Should().Be("green");
        rows["Kafka layer: offset-reset rights"].Should().Be("green");
        rows["Kafka layer: consumer groups"].Should().Be("green");
        rows["Target writes: postgres-upsert"].Should().Be("green");
        rows["Cost model: replay of orders"].Should().Be("green");
        rows["Rollback"].Should().Be("not-assessed");
        json.GetProperty("overall").GetString().Should().Be("yellow", "rollback is not assessed, and a row not assessed never passes");
        var cost = json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("area").GetString() == "cost-model");
        cost.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "replayRecordsPerSecond").GetProperty("value").GetDouble().Should().BeApproximately(500, 0.001);
        File.ReadAllText(Path.Combine(Out(), "assessment.md")).Should().Contain("| Cost model: replay of orders | green |");
        output.Should().Contain("Assessment 'orders poc' on fake: yellow");
        sessions.Disposed.Should().BeTrue();
    }

    [Fact]
    public async Task Assess_RollbackDeclaredAndDualRunGreen_EveryRowGreenWithTheOffsetsInEveryReport()
    {
        var sessions = new FakeSessions(Green) { KafkaFacts = GoodFacts(), DualRun = (legacy, next) => DualRuns.Make(legacy, next) };
        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert + Rollback), "--out", Out());

        code.Should().Be(0, error);
        sessions.DualRunAsked!.Value.Legacy["insert.mode"].Should().Be("insert");
        sessions.DualRunAsked!.Value.New["name"].Should().Be("orders-v2");
        var text = await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken);
        var json = JsonDocument.Parse(text).RootElement;
        json.GetProperty("overall").GetString().Should().Be("green");
        var rollback = json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("area").GetString() == "rollback");
        rollback.GetProperty("status").GetString().Should().Be("green");
        rollback.GetProperty("offsets").GetArrayLength().Should().Be(8);
        rollback.GetProperty("offsets")[0].GetProperty("group").GetString().Should().Be("connect-si-abcd1234-legacy-orders-v1");
        AssessmentScorecard.FromJson(text).Rows.Single(r => r.Area == AssessmentArea.Rollback).Offsets.Should().HaveCount(8);
        JsonSchemaCheck.Validate(System.Text.Json.Nodes.JsonNode.Parse(text), AssessmentJsonSchemaTests.Schema()).Should().BeEmpty();
        File.ReadAllText(Path.Combine(Out(), "assessment.md")).Should().Contain("## Rollback: committed offsets").And.Contain("| after-stop | connect-si-abcd1234-legacy-orders-v1 | 1 | 100 | 150 |");
        File.ReadAllText(Path.Combine(Out(), "report.html")).Should().Contain("<summary>committed offsets</summary>");
        output.Should().Contain("running rollback dual run: orders-v1 beside orders-v2").And.Contain("Rollback: committed offsets");
    }

    [Fact]
    public async Task Assess_DualRunNewPathLoses_RollbackRedAndItsPlanRequired()
    {
        var sessions = new FakeSessions(Green) { KafkaFacts = GoodFacts(), DualRun = (legacy, next) => DualRuns.Make(legacy, next, newLost: 4) };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert + Rollback), "--out", Out());

        code.Should().Be(1);
        error.Should().Contain("'Rollback' is red").And.Contain("remediation.rollback");
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken)).RootElement;
        json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("area").GetString() == "rollback").GetProperty("summary").GetString()
            .Should().Contain("the new path (si-abcd1234-new-orders-v2, exactly-once-effect) is red after the legacy path stopped: 4 lost of 300 records");
    }

    [Fact]
    public async Task Assess_NoRollbackDeclared_NoDualRunAndTheRowSaysWhatToDeclare()
    {
        var sessions = new FakeSessions(Green) { KafkaFacts = GoodFacts(), DualRun = (legacy, next) => DualRuns.Make(legacy, next) };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(0, error);
        sessions.DualRunAsked.Should().BeNull();
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken)).RootElement;
        json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("area").GetString() == "rollback").GetProperty("summary").GetString()
            .Should().Contain("declares no rollback.legacy and rollback.new connectors").And.Contain("declare both to assess it");
    }

    [Fact]
    public async Task Assess_RedCaseWithoutRemediation_ExitsOneNamingRowAndKey()
    {
        var sessions = new FakeSessions(s => s.Fault?.Name == "target-timeout" ? Results.Make(s, Verdict.Red, duplicated: 3) : Green(s)) { KafkaFacts = GoodFacts() };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(1);
        error.Should().Contain("'Connector semantics: postgres-upsert' is red").And.Contain("remediation.connector-semantics");
        error.Should().Contain("'Target writes: postgres-upsert' is red").And.Contain("remediation.target-writes");
        File.ReadAllText(Path.Combine(Out(), "assessment.md")).Should().Contain("**missing**");
    }

    [Fact]
    public async Task Assess_WithOut_WritesTheHtmlReportWithTheAssessmentAboveTheMatrix()
    {
        var sessions = new FakeSessions(s => s.Fault?.Name == "target-timeout" ? Results.Make(s, Verdict.Red, duplicated: 3) : Green(s)) { KafkaFacts = GoodFacts() };
        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(1, error);
        var html = await File.ReadAllTextAsync(Path.Combine(Out(), "report.html"), TestContext.Current.CancellationToken);
        html.Should().Contain("<h1>Assessment: orders poc</h1>");
        html.Should().Contain("<tr><th>Target writes: postgres-upsert</th><td class=\"red\">red</td>");
        html.Should().Contain("<tr><th>Rollback</th><td class=\"skipped\">not-assessed</td>");
        html.Should().Contain("<b>missing</b>").And.Contain("or remediation.target-writes for every Target writes row");
        html.IndexOf("<h2>Failure matrix</h2>", StringComparison.Ordinal).Should().BeGreaterThan(html.IndexOf("Kafka layer: retention of orders", StringComparison.Ordinal));
        html.Should().Contain("target-timeout/postgres-upsert", "the matrix the rows were graded from is in the same page");
        File.Exists(Path.Combine(Out(), "scorecard.json")).Should().BeTrue();
        output.Should().Contain("report.html");
    }

    [Fact]
    public async Task Assess_ReusedOutFolder_DropsWhatThePreviousAssessmentWroteAndKeepsOtherFiles()
    {
        Directory.CreateDirectory(Out());
        var mine = Path.Combine(Out(), "notes.txt");
        await File.WriteAllTextAsync(mine, "keep", TestContext.Current.CancellationToken);
        await Support.Cli.InvokeAsync(new FakeSessions(Green) { KafkaFacts = GoodFacts() }, null, "assess", Write(Upsert), "--out", Out());
        var stale = Path.Combine(Out(), "evidence", "stale.json");
        await File.WriteAllTextAsync(Path.Combine(Out(), ".sink-idempotency-files"), (await File.ReadAllTextAsync(Path.Combine(Out(), ".sink-idempotency-files"), TestContext.Current.CancellationToken)) + "evidence/stale.json\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(stale, "{}", TestContext.Current.CancellationToken);

        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(Green) { KafkaFacts = GoodFacts() }, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(0, error);
        File.Exists(stale).Should().BeFalse("the manifest listed it as written by the previous assessment");
        File.Exists(mine).Should().BeTrue("the tool never deletes a file it did not write");
        (await File.ReadAllTextAsync(Path.Combine(Out(), ".sink-idempotency-files"), TestContext.Current.CancellationToken)).Should().Contain("assessment.json").And.Contain("report.html").And.NotContain("notes.txt");
    }

    [Fact]
    public async Task Assess_RedRowsWithRemediation_ExitsOneWithoutMissingPlanMessage()
    {
        var file = Write(Upsert + "\nremediation:\n  connector-semantics: Switch to upsert on record_key.\n  target-writes: Dedupe job until then.\n");
        var sessions = new FakeSessions(s => s.Fault?.Name == "target-timeout" ? Results.Make(s, Verdict.Red, duplicated: 3) : Green(s)) { KafkaFacts = GoodFacts() };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", file);

        code.Should().Be(1);
        error.Should().NotContain("no remediation plan");
    }

    [Fact]
    public async Task Assess_RowPlanForOneRedRowOnly_ExitsOneNamingTheOtherRow()
    {
        var file = Write(Upsert + "\nremediation:\n  rows:\n    \"Connector semantics: postgres-upsert\": Switch to upsert on record_key.\n");
        var sessions = new FakeSessions(s => s.Fault?.Name == "target-timeout" ? Results.Make(s, Verdict.Red, duplicated: 3) : Green(s)) { KafkaFacts = GoodFacts() };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", file, "--out", Out());

        code.Should().Be(1);
        error.Should().Contain("'Target writes: postgres-upsert' is red").And.NotContain("'Connector semantics: postgres-upsert' is red");
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken)).RootElement;
        json.GetProperty("missingRemediation").EnumerateArray().Select(e => e.GetString()).Should().Equal("Target writes: postgres-upsert");
    }

    [Fact]
    public async Task Assess_RetentionShorterThanWindowAndOnlyAverageRate_RedsKafkaAndCostRows()
    {
        var file = Write(Upsert.Replace("{ average: 50, peak: 100 }", "{ average: 50 }", StringComparison.Ordinal));
        var facts = GoodFacts() with { Retention = new Dictionary<string, TopicRetention> { ["orders"] = new("orders", 3, 600_000, -1) } };
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(Green) { KafkaFacts = facts }, null, "assess", file);

        code.Should().Be(1);
        error.Should().Contain("'Kafka layer: retention of orders' is red").And.Contain("remediation.kafka-layer");
        error.Should().Contain("'Cost model: replay of orders' is red").And.Contain("remediation.cost-model");
    }

    [Fact]
    public async Task Assess_ClusterWithoutAclsOrOffsetsApi_YellowNotGreen()
    {
        var facts = GoodFacts() with { Capabilities = EnvironmentCapabilities.ConsumerGroupReset, GroupAcls = null, AclProblem = "refused DescribeAcls (SecurityDisabled)" };
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(Green) { KafkaFacts = facts }, null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(0, error);
        var json = await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken);
        var rows = JsonDocument.Parse(json).RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("title").GetString()!, r => (Status: r.GetProperty("status").GetString(), Summary: r.GetProperty("summary").GetString()));
        rows["Kafka layer: offset reset"].Status.Should().Be("yellow");
        rows["Kafka layer: offset-reset rights"].Status.Should().Be("not-assessed");
        rows["Kafka layer: offset-reset rights"].Summary.Should().Contain("SecurityDisabled");
    }

    [Fact]
    public async Task Assess_EverythingSkipped_ExitsThree()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(s => Results.Make(s, null, skipReason: "no kill")) { KafkaFacts = GoodFacts() }, null, "assess", Write(Upsert));

        code.Should().Be(3);
        error.Should().Contain("No scenario ran");
    }

    [Fact]
    public async Task Assess_EnvironmentCannotStart_ExitsTwo()
    {
        var sessions = new FakeSessions(Green) { StartFailure = new EnvironmentUnavailableException("no worker build") };
        var (code, _, error) = await Support.Cli.InvokeAsync(sessions, null, "assess", Write(Upsert));

        code.Should().Be(2);
        error.Should().Contain("no worker build");
    }

    [Fact]
    public async Task Assess_InvalidFile_ExitsTwoWithLineAndColumn()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(Green), null, "assess", Write(Upsert.Replace("recordBytes: 500", "recordBytes: lots", StringComparison.Ordinal)));

        code.Should().Be(2);
        error.Should().MatchRegex(@"assess\.yaml:\d+:\d+: .*recordBytes");
    }

    [Fact]
    public async Task Assess_SessionWithoutClusterAccess_KafkaRowsNotAssessed()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(Green), null, "assess", Write(Upsert), "--out", Out());

        code.Should().Be(1, "neither offsets path is known, so the offset-reset row is red; " + error);
        var json = await File.ReadAllTextAsync(Path.Combine(Out(), "assessment.json"), TestContext.Current.CancellationToken);
        json.Should().Contain("does not expose its Kafka cluster");
    }

    internal static ScenarioResult Green(Scenario scenario) =>
        Results.Make(scenario, Verdict.Green, evidence: scenario.Fault?.Name switch { "replay" => ReplayTimeline(), "rebalance" => RebalanceTimeline(), _ => null });

    // Task 0 moves from worker w1 to w2: the evidence the consumer-groups row needs.
    private static EvidenceTimeline RebalanceTimeline()
    {
        var timeline = new EvidenceTimeline();
        timeline.Add(new AssignmentEvidence { At = DateTimeOffset.UnixEpoch, Step = "fault", Before = new Dictionary<string, string?> { ["0"] = "w1" }, After = new Dictionary<string, string?> { ["0"] = "w2" } });
        return timeline;
    }

    // A replay of 1000 records that catches up 2 s after the connector resumed: 500 records/s.
    private static EvidenceTimeline ReplayTimeline()
    {
        var start = DateTimeOffset.UnixEpoch.AddHours(1);
        var timeline = new EvidenceTimeline();
        timeline.Add(new OffsetsEvidence { At = start.AddSeconds(-1), Step = "settle", Label = "committed", Partitions = [new("t", 0, 1000, 1000)] });
        timeline.Add(new FaultActionEvidence { At = start, Step = "fault", Fault = "replay", Action = "resume-connector", Detail = "Resumed." });
        timeline.Add(new OffsetsEvidence { At = start.AddSeconds(0.5), Step = "settle", Label = "committed", Partitions = [new("t", 0, 1000, 0)] });
        timeline.Add(new OffsetsEvidence { At = start.AddSeconds(1), Step = "settle", Label = "committed", Partitions = [new("t", 0, 1000, 400)] });
        timeline.Add(new OffsetsEvidence { At = start.AddSeconds(2), Step = "settle", Label = "committed", Partitions = [new("t", 0, 1000, 1000)] });
        return timeline;
    }

    internal static KafkaLayerFacts GoodFacts() => new(EnvironmentCapabilities.OffsetsApi | EnvironmentCapabilities.ConsumerGroupReset)
    {
        Retention = new Dictionary<string, TopicRetention> { ["orders"] = new("orders", 3, 7 * 24 * 3_600_000L, -1) },
        GroupAcls = [new GroupAcl("User:ops", "connect-", Prefixed: true, "READ", Allow: true)],
    };

    private string Out() => Path.Combine(_folder.Path, "out");

    private string Write(string text)
    {
        var path = Path.Combine(_folder.Path, "assess.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
