using SinkIdempotency.Assessment;
using SinkIdempotency.Cli.Assessment;
using SinkIdempotency.Cli.ScenarioFiles;
using SinkIdempotency.Cli.Tests.Support;

namespace SinkIdempotency.Cli.Tests.Assessment;

public sealed class AssessmentFileTests : IDisposable
{
    private const string Full = """
        name: orders on staging
        connectors:
          scenarios: [orders.yaml]
          reference: postgres-upsert
        topics:
          - name: orders
            recoveryWindow: 7d
            recordBytes: 512
            rate:
              average: 800
              peak: 2500
          - name: refunds
            recoveryWindow: 36h
            recordBytes: 200
            rate: { peak: 40 }
        offsets:
          resetPrincipals: [User:platform-ops, Group:sre]
        rollback:
          legacy:
            connector.class: com.example.LegacySink
            table: orders_v1
          new:
            connector.class: io.confluent.connect.jdbc.JdbcSinkConnector
            insert.mode: upsert
        replayDeadline: 2h
        remediation:
          kafka-layer: Raise retention.ms on orders to 10 days before cutover.
          cost-model: Add two workers.

        """;

    private const string Scenario = """
        name: orders-crash
        connector:
          config:
            connector.class: io.confluent.connect.jdbc.JdbcSinkConnector
        declared: upsert-by-key
        fault:
          kind: crash-after-target-write

        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task LoadAsync_FullFile_ReadsEveryDeclaredFact()
    {
        _folder.File("orders.yaml", Scenario);
        var path = _folder.File("assessment.yaml", Full);

        var loaded = await AssessmentFile.LoadAsync(path, TestContext.Current.CancellationToken);

        var definition = loaded.Definition;
        definition.Name.Should().Be("orders on staging");
        loaded.Entries.Select(e => e.Name).Should().StartWith("orders-crash");
        loaded.Entries.Skip(1).Should().NotBeEmpty().And.OnlyContain(e => e.Connector == "postgres-upsert" && e.Source == "built-in");
        definition.Scenarios.Should().HaveCount(loaded.Entries.Count);
        definition.Topics.Should().Equal(
            new AssessedTopic("orders", TimeSpan.FromDays(7), new IngestRate(800, 2500, 512)),
            new AssessedTopic("refunds", TimeSpan.FromHours(36), new IngestRate(null, 40, 200)));
        definition.OffsetResetPrincipals.Should().Equal("User:platform-ops", "Group:sre");
        definition.LegacyConnector!["table"].Should().Be("orders_v1");
        definition.NewConnector!["insert.mode"].Should().Be("upsert");
        definition.ReplayDeadline.Should().Be(TimeSpan.FromHours(2));
        definition.Remediation.Should().HaveCount(2);
        definition.Remediation[AssessmentArea.KafkaLayer].Should().StartWith("Raise retention.ms");
        definition.Remediation.Should().NotContainKey(AssessmentArea.ConnectorSemantics);
    }

    [Fact]
    public void Parse_OnlyAnAverageRate_KeepsThePeakUndeclared()
    {
        var (definition, _, _) = AssessmentFile.Parse(Minimal("rate: { average: 100 }"), "a.yaml");

        definition.Topics.Single().Rate.PeakRecordsPerSecond.Should().BeNull("the cost row turns red for it; the file is still valid");
        definition.Topics.Single().Rate.AverageRecordsPerSecond.Should().Be(100);
    }

    [Theory]
    [InlineData("rate: { average: 100, peak: 50 }", "a.yaml:8:", "topics[0].rate.peak: 50 is below the average of 100")]
    [InlineData("rate: { }", "a.yaml:8:", "topics[0].rate: declare rate.peak")]
    [InlineData("rate: { peak: 10, burst: 20 }", "a.yaml:8:", "topics[0].rate.burst: unknown key 'burst'; expected one of average, peak")]
    [InlineData("rate: { peak: fast }", "a.yaml:8:", "topics[0].rate.peak: expected a number, got 'fast'")]
    public void Parse_BadRate_PointsAtTheKey(string rate, string location, string message)
    {
        var act = () => AssessmentFile.Parse(Minimal(rate), "a.yaml");

        act.Should().Throw<ScenarioFileException>().Which.Message.Should().StartWith(location).And.Contain(message);
    }

    [Theory]
    [InlineData("recoveryWindow: 7d", "recoveryWindow: a week", "topics[0].recoveryWindow: expected a duration such as 30m, 36h or 7d, got 'a week'")]
    [InlineData("recoveryWindow: 7d", "recoveryWindow: 0d", "topics[0].recoveryWindow: 0d is out of range")]
    [InlineData("    recordBytes: 100\n", "", "topics[0].recordBytes: missing required key")]
    [InlineData("reference: postgres-insert", "reference: mysql-insert", "connectors.reference: unknown reference connector 'mysql-insert'; expected one of postgres-insert, postgres-upsert")]
    [InlineData("name: orders\n", "name: orders\n    partitions: 3\n", "topics[0].partitions: unknown key 'partitions'")]
    [InlineData("replayDeadline: 1h", "replayDeadline: 1h\nowner: me", "owner: unknown key 'owner'")]
    [InlineData("replayDeadline: 1h", "replayDeadline: 1h\nremediation:\n  rollbak: later", "remediation.rollbak: unknown key 'rollbak'; expected one of connector-semantics, kafka-layer, target-writes, cost-model, rollback, rows")]
    [InlineData("replayDeadline: 1h", "replayDeadline: 1h\nremediation:\n  rows:\n    Rollback: \"\"", "remediation.rows.Rollback: the plan is empty; write the plan, or remove the row")]
    [InlineData("replayDeadline: 1h", "replayDeadline: 1h\noffsets:\n  resetPrincipals: [ops]", "offsets.resetPrincipals: 'ops' is not a Kafka principal; write it as Type:name, e.g. User:ops")]
    [InlineData("replayDeadline: 1h", "replayDeadline: 1h\nrollback:\n  legacy:\n    table: t", "rollback.legacy: missing connector.class")]
    [InlineData("reference: postgres-insert", "reference: []", "connectors.scenarios: no connector to assess")]
    public void Parse_InvalidFile_SaysWhereAndWhat(string replace, string with, string message)
    {
        var text = Minimal("rate: { peak: 10 }").Replace(replace, with, StringComparison.Ordinal);

        var act = () => AssessmentFile.Parse(text, "a.yaml");

        act.Should().Throw<ScenarioFileException>().Which.Message.Should().MatchRegex(@"^a\.yaml:\d+:\d+: ").And.Contain(message);
    }

    [Fact]
    public void Parse_RowPlans_ReadByTitleBesideTheAreaPlans()
    {
        var text = Minimal("rate: { peak: 10 }") + "remediation:\n  kafka-layer: Fix the Kafka layer.\n  rows:\n    \"Kafka layer: retention of orders\": Raise retention.ms to 8 days.\n";

        var (definition, _, _) = AssessmentFile.Parse(text, "a.yaml");

        definition.Remediation[AssessmentArea.KafkaLayer].Should().Be("Fix the Kafka layer.");
        definition.RowRemediation.Should().Equal(new Dictionary<string, string> { ["Kafka layer: retention of orders"] = "Raise retention.ms to 8 days." });
    }

    [Fact]
    public async Task LoadAsync_RowPlanForARowTheScorecardWillNotHave_PointsAtItAndListsTheRows()
    {
        var file = _folder.File("a.yaml", Minimal("rate: { peak: 10 }") + "remediation:\n  rows:\n    \"Kafka layer: retention of refunds\": Raise it.\n");

        var act = () => AssessmentFile.LoadAsync(file, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioFileException>()).Which.Message.Should()
            .MatchRegex(@"a\.yaml:\d+:5: remediation\.rows\.Kafka layer: retention of refunds: no row is titled 'Kafka layer: retention of refunds'; this assessment's rows are: ")
            .And.Contain("\"Kafka layer: retention of orders\"").And.Contain("\"Connector semantics: postgres-insert\"").And.Contain("\"Rollback\"");
    }

    [Fact]
    public void Parse_NotYaml_ReportsTheSyntaxErrorWithItsLine()
    {
        var act = () => AssessmentFile.Parse("name: x\ntopics: [\n", "a.yaml");

        act.Should().Throw<ScenarioFileException>().Which.Message.Should().StartWith("a.yaml:").And.Contain("syntax error");
    }

    [Fact]
    public void Parse_TopicThatIsNotAMapping_SaysSo()
    {
        var act = () => AssessmentFile.Parse("name: a\nconnectors:\n  reference: postgres-insert\ntopics: [orders]\n", "a.yaml");

        act.Should().Throw<ScenarioFileException>().Which.Message.Should().StartWith("a.yaml:4:10: topics[0]: expected a mapping");
    }

    [Fact]
    public void Parse_DuplicateTopic_IsRejected()
    {
        var text = Minimal("rate: { peak: 10 }") + "  - name: orders\n    recoveryWindow: 1h\n    recordBytes: 1\n    rate: { peak: 1 }\n";
        text = text.Replace("replayDeadline: 1h\n", string.Empty, StringComparison.Ordinal) + "replayDeadline: 1h\n";

        var act = () => AssessmentFile.Parse(text, "a.yaml");

        act.Should().Throw<ScenarioFileException>().Which.Message.Should().Contain("topic 'orders' is listed twice");
    }

    [Fact]
    public async Task LoadAsync_MissingScenarioFile_NamesTheAssessmentFileAndThePath()
    {
        var path = _folder.File("assessment.yaml", Full);

        var act = () => AssessmentFile.LoadAsync(path, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioFileException>()).Which.Message.Should()
            .StartWith(path + ":").And.Contain("connectors.scenarios: '" + Path.Combine(_folder.Path, "orders.yaml") + "' does not exist");
    }

    [Fact]
    public async Task LoadAsync_InvalidScenarioFile_ReportsTheScenarioFilesLine()
    {
        _folder.File("orders.yaml", Scenario.Replace("declared: upsert-by-key", "declared: maybe", StringComparison.Ordinal));
        var path = _folder.File("assessment.yaml", Full);

        var act = () => AssessmentFile.LoadAsync(path, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioFileException>()).Which.Message.Should().Contain("orders.yaml:5:").And.Contain("unknown semantics 'maybe'");
    }

    [Fact]
    public async Task LoadAsync_TwoScenariosOfTheSameName_AreRejected()
    {
        _folder.File("orders.yaml", Scenario);
        _folder.File("again.yaml", Scenario);
        var path = _folder.File("assessment.yaml", Full.Replace("[orders.yaml]", "[orders.yaml, again.yaml]", StringComparison.Ordinal));

        var act = () => AssessmentFile.LoadAsync(path, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioFileException>()).Which.Message.Should().Contain("two scenarios are named 'orders-crash'");
    }

    private static string Minimal(string rate) => $$"""
        name: a
        connectors:
          reference: postgres-insert
        topics:
          - name: orders
            recoveryWindow: 7d
            recordBytes: 100
            {{rate}}
        replayDeadline: 1h

        """;
}
