using SinkIdempotency.Cli.ScenarioFiles;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.ScenarioFiles;

public sealed class ScenarioFileTests : IDisposable
{
    private const string Valid = """
        name: bad
        connector:
          config:
            connector.class: X
        declared: exactly-once-effect

        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Parse_DocumentedExample_ReadsEveryKey()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "orders-upsert-crash.yaml"));

        var entry = ScenarioFile.Parse(text, "orders-upsert-crash.yaml");

        entry.Connector.Should().Be("orders-jdbc-upsert");
        entry.Source.Should().Be("orders-upsert-crash.yaml");
        var scenario = entry.Scenario;
        scenario.Name.Should().Be("orders-upsert-crash");
        scenario.Semantics.Should().Be(DeclaredSemantics.UpsertByKey);
        scenario.ConnectorConfig["insert.mode"].Should().Be("upsert");
        scenario.ConnectorConfig["tasks.max"].Should().Be("1", "numbers in the config are kept as written");
        scenario.ConnectorConfig["value.converter.schemas.enable"].Should().Be("true");
        scenario.ConnectorConfig["errors.deadletterqueue.topic.name"].Should().Be("${dlq}", "deadLetterQueue: true adds the run's dead-letter topic");
        scenario.DeadLetterQueue.Should().BeTrue();
        scenario.Workload.Should().Be(new ScenarioWorkload { Records = 2000, Partitions = 3, Keys = 100, PayloadSize = 64, Format = RecordFormat.JsonEnvelope, Seed = 7, RecordsPerSecond = ScenarioFile.DefaultRecordsPerSecond });
        var fault = scenario.Fault.Should().BeOfType<CrashAfterTargetWrite>().Subject;
        fault.Options.Should().Be(new CrashAfterTargetWriteOptions { MinimumRowsAhead = 5, Task = 0, TriggerTimeout = TimeSpan.FromSeconds(30), RestartWorker = true });
        scenario.Target.Mapping.KeyColumn.Should().Be("key");
        scenario.Target.Mapping.VersionColumn.Should().Be("version");
        scenario.Target.Mapping.PayloadColumn.Should().Be("payload");
        scenario.Target.Mapping.Table.Should().Be("${table}");
        scenario.SettleTimeout.Should().Be(TimeSpan.FromSeconds(90));
        scenario.StableFor.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Parse_MinimalFile_UsesDefaultsAndLabelsTheColumnAfterTheClass()
    {
        var entry = ScenarioFile.Parse(Valid.Replace("connector.class: X", "connector.class: io.confluent.connect.jdbc.JdbcSinkConnector", StringComparison.Ordinal), "f.yaml");

        entry.Connector.Should().Be("JdbcSinkConnector");
        entry.Scenario.Fault.Should().BeNull();
        entry.Scenario.Workload.Should().Be(new ScenarioWorkload { RecordsPerSecond = 500 }, "a file paces its records like the reference matrix, so the worker commits while they flow");
        entry.Scenario.SettleTimeout.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("", "postgres")]
    [InlineData("  kind: postgres\n", "postgres")]
    [InlineData("  kind: mysql\n", "mysql")]
    public void Parse_TargetKind_ChoosesTheTargetAndKeepsTheMapping(string kind, string expected)
    {
        var entry = ScenarioFile.Parse(Valid + "target:\n" + kind + "  keyColumn: key\n", "f.yaml");

        entry.Scenario.Target.Kind.Should().Be(expected);
        entry.Scenario.Target.Mapping.KeyColumn.Should().Be("key");
    }

    [Theory]
    [InlineData("target-timeout", "  mode: all-responses\n  duration: 1500ms\n  afterTargetRows: 0\n")]
    [InlineData("rebalance", "  event: worker-dies\n  atProgress: 0.5\n  killWhileTargetAhead: true\n  tasksMax: 3\n  timeout: 2m\n")]
    [InlineData("schema-break", "  poison: missing-envelope\n  position: 0.25\n  count: 4\n")]
    [InlineData("replay", "  method: consumer-group\n  rewindBy: 100\n")]
    public void Parse_EachFaultWithOptions_BuildsThatFault(string kind, string options)
    {
        var entry = ScenarioFile.Parse(Valid + $"fault:\n  kind: {kind}\n" + options, "f.yaml");

        entry.Scenario.Fault!.Name.Should().Be(kind);
        switch (entry.Scenario.Fault)
        {
            case TargetTimeout t:
                t.Options.Should().Be(new TargetTimeoutOptions { Mode = TargetTimeoutMode.AllResponses, Duration = TimeSpan.FromMilliseconds(1500), AfterTargetRows = 0 });
                break;
            case Rebalance r:
                r.Options.Should().Be(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, AtProgress = 0.5, KillWhileTargetAhead = true, TasksMax = 3, Timeout = TimeSpan.FromMinutes(2) });
                break;
            case SchemaBreak s:
                s.Options.Should().Be(new SchemaBreakOptions { Kind = PoisonKind.MissingEnvelope, Position = 0.25, Count = 4 });
                break;
            case Replay p:
                p.Options.Should().Be(new ReplayOptions { Method = ReplayResetMethod.ConsumerGroup, RewindBy = 100 });
                break;
        }
    }

    [Theory]
    [InlineData("too-long-for-column", PoisonKind.TooLongForColumn)]
    [InlineData("null-in-not-null-column", PoisonKind.NullInNotNullColumn)]
    [InlineData("out-of-range-number", PoisonKind.OutOfRangeNumber)]
    public void Parse_PoisonTheTargetRefuses_BuildsThatKind(string poison, PoisonKind expected)
    {
        var entry = ScenarioFile.Parse(Valid + $"fault:\n  kind: schema-break\n  poison: {poison}\n", "f.yaml");

        entry.Scenario.Fault.Should().BeOfType<SchemaBreak>().Which.Options.Kind.Should().Be(expected);
    }

    [Fact]
    public void Parse_RecordsPerSecond_PacesTheWorkload()
    {
        var entry = ScenarioFile.Parse(Valid + "workload:\n  records: 5000\n  recordsPerSecond: 2500\n", "f.yaml");

        entry.Scenario.Workload.RecordsPerSecond.Should().Be(2500);
        entry.Scenario.Workload.Records.Should().Be(5000);
    }

    [Fact]
    public void Parse_SchemaName_NamesTheEnvelopeSchema()
    {
        var entry = ScenarioFile.Parse(Valid + "workload:\n  schemaName: orders.Order\n", "f.yaml");

        entry.Scenario.Workload.SchemaName.Should().Be("orders.Order");
        ScenarioFile.Parse(Valid, "f.yaml").Scenario.Workload.SchemaName.Should().Be("sinkidempotency.Event");
    }

    [Fact]
    public void Parse_DeadLetterQueueAndATopicOfTheTeam_KeepsTheTeamsTopic()
    {
        var entry = ScenarioFile.Parse(Valid.Replace("connector.class: X", "connector.class: X\n    errors.deadletterqueue.topic.name: orders-dlq", StringComparison.Ordinal).Replace("  config:", "  deadLetterQueue: true\n  config:", StringComparison.Ordinal), "f.yaml");

        entry.Scenario.ConnectorConfig["errors.deadletterqueue.topic.name"].Should().Be("orders-dlq", "a setting the team wrote is never replaced silently");
        entry.Scenario.ConnectorConfig["errors.tolerance"].Should().Be("all");
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        {
            "syntax error",
            "name: bad\nconnector:\n  config:\n    connector.class: \"X\ndeclared: at-least-once\n",
            "bad.yaml:4:22: syntax error: While scanning a multi-line double-quoted scalar, found wrong indentation."
        },
        {
            "unknown key",
            Valid + "retries: 3\n",
            "bad.yaml:6:1: retries: unknown key 'retries'; expected one of name, connector, declared, workload, fault, target, timeouts, plugins"
        },
        {
            "missing required key",
            "name: bad\nconnector:\n  config:\n    connector.class: X\n",
            "bad.yaml:1:1: declared: missing required key; expected one of exactly-once-effect, at-least-once, upsert-by-key"
        },
        {
            "missing connector.class",
            "name: bad\nconnector:\n  config:\n    insert.mode: upsert\ndeclared: at-least-once\n",
            "bad.yaml:4:5: connector.config.connector.class: missing required key; expected the sink connector's class name"
        },
        {
            "wrong type (text for a number)",
            Valid + "workload:\n  records: many\n",
            "bad.yaml:7:12: workload.records: expected an integer, got 'many'"
        },
        {
            "wrong type (value for a mapping)",
            "name: bad\nconnector: postgres\ndeclared: at-least-once\n",
            "bad.yaml:2:12: connector: expected a mapping, got a value"
        },
        {
            "unknown fault",
            Valid + "fault:\n  kind: crash\n",
            "bad.yaml:7:9: fault.kind: unknown fault 'crash'; expected one of crash-after-target-write, crash-after-offset-commit, target-timeout, offset-commit-timeout, offset-commit-refused, fetch-stall, rebalance, schema-break, replay, replay-beyond-retention"
        },
        {
            "unknown target kind",
            Valid + "target:\n  kind: oracle\n",
            "bad.yaml:7:9: target.kind: unknown target 'oracle'; expected one of postgres, mysql, files-append, files-deterministic, http-plain, http-idempotency-key"
        },
        {
            "unknown semantics",
            Valid.Replace("exactly-once-effect", "exactly-once", StringComparison.Ordinal),
            "bad.yaml:5:11: declared: unknown semantics 'exactly-once'; expected one of exactly-once-effect, at-least-once, upsert-by-key"
        },
        {
            "out-of-range number",
            Valid + "workload:\n  partitions: 0\n",
            "bad.yaml:7:15: workload.partitions: 0 is out of range; expected 1 to 1000"
        },
        {
            "unknown poison kind",
            Valid + "fault:\n  kind: schema-break\n  poison: too-long\n",
            "bad.yaml:8:11: fault.poison: unknown poison kind 'too-long'; expected one of type-change, missing-envelope, garbage-bytes, too-long-for-column, null-in-not-null-column, out-of-range-number"
        },
        {
            "out-of-range share",
            Valid + "fault:\n  kind: schema-break\n  position: 1\n",
            "bad.yaml:8:13: fault.position: 1 is out of range; expected 0 to 1 (exclusive)"
        },
        {
            "option of another fault",
            Valid + "fault:\n  kind: replay\n  minimumRowsAhead: 3\n",
            "bad.yaml:8:3: fault.minimumRowsAhead: unknown key 'minimumRowsAhead'; expected one of kind, method, rewindBy, timeout"
        },
        {
            "rate below one record a second",
            Valid + "workload:\n  recordsPerSecond: 0\n",
            "bad.yaml:7:21: workload.recordsPerSecond: 0 is out of range; expected 1 to 10000000"
        },
        {
            "bad duration",
            Valid + "timeouts:\n  settle: soon\n",
            "bad.yaml:7:11: timeouts.settle: expected a duration such as 500ms, 30s or 2m, got 'soon'"
        },
        {
            "connector name set",
            "name: bad\nconnector:\n  config:\n    connector.class: X\n    name: mine\ndeclared: at-least-once\n",
            "bad.yaml:5:5: connector.config.name: remove it: the runner names the connector after the run (use ${connector} to refer to it)"
        },
        {
            "inconsistent scenario",
            Valid + "workload:\n  partitions: 1\nfault:\n  kind: rebalance\n",
            "bad.yaml: Scenario 'bad' rebalances a topic with one partition; nothing can move between workers. Use at least 2 partitions."
        },
        {
            "empty file",
            "# nothing here\n",
            "bad.yaml: the file is empty; expected a mapping with the keys name, connector and declared"
        },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Run_BadScenarioFile_PrintsFileLineKeyAndExitsWithUsageError(string kind, string content, string message)
    {
        var file = _folder.File("bad.yaml", content);
        var sessions = new FakeSessions(_ => throw new InvalidOperationException("nothing may run when a scenario file is bad"));

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--scenario", file);

        code.Should().Be(ExitCodes.UsageError, kind + ": " + error);
        error.TrimEnd().Should().Be(message.Replace("bad.yaml", file, StringComparison.Ordinal), $"{kind} (actual: {error.TrimEnd()})");
        output.Should().BeEmpty();
        sessions.StartedKind.Should().BeNull("no environment starts for a bad file");
    }

    [Fact]
    public async Task Run_MissingScenarioFile_SaysItCannotReadIt()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(_ => throw new InvalidOperationException()), null, "run", "--scenario", Path.Combine(_folder.Path, "nope.yaml"));

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("nope.yaml: cannot read the scenario file");
    }

    [Fact]
    public async Task Run_TwoFilesWithTheSameName_IsAUsageError()
    {
        var first = _folder.File("a.yaml", Valid);
        var second = _folder.File("b.yaml", Valid);

        var (code, _, error) = await Support.Cli.InvokeAsync(new FakeSessions(_ => throw new InvalidOperationException()), null, "run", "--scenario", first, "--scenario", second);

        code.Should().Be(ExitCodes.UsageError);
        error.TrimEnd().Should().Be($"{second}: name: the scenario name 'bad' is already used by {first}; give each scenario its own name");
    }
}
