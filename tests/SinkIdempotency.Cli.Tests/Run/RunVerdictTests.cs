using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Reports;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Exit codes and reports for runs in which nothing ran, for settings the environment would replace, and for failed tasks.</summary>
public sealed class RunVerdictTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_EveryScenarioSkipped_ExitsThreeAndSaysNothingRan()
    {
        var sessions = new FakeSessions(s => Results.Make(s, null, skipReason: "CrashAfterTargetWrite needs the capabilities KillWorker (external environment)"));

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run");

        code.Should().Be(ExitCodes.NothingRan);
        output.Should().Contain("72 run(s) on fake in ").And.Contain("0 red, 0 yellow, 0 green, 72 skipped, 0 error. Nothing ran: every scenario was skipped, so nothing was tested.");
        error.Should().Be("No scenario ran: all 72 run(s) were skipped by the fake environment (reasons above), so nothing was tested. Run on an environment that has what the faults need, or pass --allow-skips to accept a run that tests nothing." + Environment.NewLine);
    }

    [Fact]
    public async Task Run_EveryScenarioSkippedWithAllowSkips_ExitsZero()
    {
        var sessions = new FakeSessions(s => Results.Make(s, null, skipReason: "no worker kill"));

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--allow-skips");

        code.Should().Be(ExitCodes.Ok, error);
        output.Should().Contain("Nothing ran: every scenario was skipped");
        error.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_SomeScenariosSkipped_SaysSoInTheSummaryAndExitsByTheOthers()
    {
        var sessions = new FakeSessions(s => s.Fault is SinkIdempotency.Faults.Replay ? Results.Make(s, null, skipReason: "no offsets API") : Results.Make(s, Verdict.Green));
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, _) = await Support.Cli.InvokeAsync(sessions, null, "run", "--filter", "*/postgres-*", "--out", outDir);

        code.Should().Be(ExitCodes.Ok);
        output.Should().Contain("16 green, 2 skipped, 0 error. 2 skipped run(s) tested nothing.");
        File.ReadAllText(Path.Combine(outDir, "scorecard.md")).Should().Contain("2 skipped. 2 skipped run(s) tested nothing.");
        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("2 skipped, 0 error. 2 skipped run(s) tested nothing.");
    }

    [Fact]
    public async Task Run_ScenarioSettingTheEnvironmentWouldReplace_ExitsTwoBeforeAnythingRuns()
    {
        var file = _folder.File("prod.yaml", """
            name: prod-url
            connector:
              config:
                connector.class: SimulatedPostgreSqlSink
                connection.url: jdbc:postgresql://db.prod.internal:5432/orders
            declared: exactly-once-effect

            """);
        var sessions = new SimulatedSessions();

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--scenario", file);

        code.Should().Be(ExitCodes.UsageError, output);
        error.Should().StartWith($"{file}: Scenario 'prod-url' sets connection.url to 'jdbc:postgresql://db.prod.internal:5432/orders', but the simulated environment points the connector at its own target")
            .And.Contain("write ${target.url}");
        sessions.Environment!.Created.Should().BeEmpty("nothing is created before the check");
        output.Should().NotContain("Scorecard");
    }

    [Fact]
    public async Task Run_TaskFailsOnEveryRecord_IsRedWithTheTraceInEveryReport()
    {
        var file = _folder.File("nothing.yaml", """
            name: writes-nothing
            connector:
              label: sim
              config:
                connector.class: SimulatedPostgreSqlSink
            declared: exactly-once-effect
            workload: { records: 300, partitions: 3, keys: 50 }
            timeouts: { settle: 20s, stableFor: 300ms }

            """);
        var outDir = Path.Combine(_folder.Path, "out");
        var sessions = new SimulatedSessions(new SimulatedOptions { FailEveryRecord = true });

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, null, "run", "--scenario", file, "--out", outDir);

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"\| none +\| red: task failed: ConnectException: Tolerance exceeded in error handler; 300 unseen; none reached the target +\|");
        output.Should().Contain("task failed in writes-nothing: task 0, not explained by the scenario (the scenario produced no poison record, so none explains it)")
            .And.Contain("    Caused by: org.apache.kafka.connect.errors.DataException: simulated converter failure");
        var markdown = File.ReadAllText(Path.Combine(outDir, "scorecard.md"));
        markdown.Should().Contain("- **task 0 failed** (not explained by the scenario: the scenario produced no poison record, so none explains it):")
            .And.Contain("  Caused by: org.apache.kafka.connect.errors.DataException: simulated converter failure");
        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("<th>task 0 failed</th>").And.Contain("Caused by: org.apache.kafka.connect.errors.DataException: simulated converter failure");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        JsonSchemaCheck.Validate(json, ReportFilesTests.Schema()).Should().BeEmpty();
        var failure = json["scenarios"]![0]!["taskFailures"]![0]!;
        failure["causedByPoison"]!.GetValue<bool>().Should().BeFalse();
        failure["rootCause"]!.GetValue<string>().Should().Be("org.apache.kafka.connect.errors.DataException: simulated converter failure");
    }

    private sealed class SimulatedSessions(SimulatedOptions? options = null) : IScenarioSessionFactory
    {
        public SimulatedEnvironment? Environment { get; private set; }

        public Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken)
        {
            Environment = new SimulatedEnvironment(options);
            var runner = new ScenarioRunnerOptions { OutputDirectory = workDirectory, PollInterval = TimeSpan.FromMilliseconds(5), SampleInterval = TimeSpan.FromMilliseconds(50) };
            return Task.FromResult<IScenarioSession>(new RunnerSession(Environment, Environment, runner));
        }
    }
}
