using System.Text.Json.Nodes;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Reports;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>
/// Runs a two-scenario matrix from YAML files through the run command and the harness's real <see cref="ScenarioRunner"/>,
/// on the harness's simulated Connect cluster (the embedded environment has no IScenarioDriver adapter yet).
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private const string Common = """
        workload:
          records: 600
          partitions: 3
          keys: 50
        fault:
          kind: replay
        timeouts:
          settle: 20s
          stableFor: 300ms

        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <remarks>Replay acts on a settled pipeline, so the answer does not depend on timing under CPU contention.</remarks>
    [Fact]
    public async Task Run_TwoReplayScenarioFiles_IsRedForInsertGreenForUpsertAndWritesEveryReport()
    {
        var insert = _folder.File("insert.yaml", """
            name: replay-insert
            connector:
              label: sim-insert
              config:
                connector.class: SimulatedPostgreSqlSink
                insert.mode: insert
                pk.mode: none
            declared: exactly-once-effect

            """ + Common);
        var upsert = _folder.File("upsert.yaml", """
            name: replay-upsert
            connector:
              label: sim-upsert
              config:
                connector.class: SimulatedPostgreSqlSink
                insert.mode: upsert
                pk.mode: record_key
            declared: upsert-by-key

            """ + Common);
        var outDir = Path.Combine(_folder.Path, "out");
        var summary = _folder.File("summary.md", string.Empty);
        var sessions = new SimulatedSessions();

        var (code, output, error) = await Support.Cli.InvokeAsync(sessions, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary }, "run", "--scenario", insert, "--scenario", upsert, "--out", outDir);

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"\| replay +\| red: \d+ duplicated +\| green: 600 records, no anomaly +\|");
        sessions.Environment!.Connectors.Should().BeEmpty("the runner cleaned up");

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        JsonSchemaCheck.Validate(json, ReportFilesTests.Schema()).Should().BeEmpty();
        json["environment"]!.GetValue<string>().Should().Be("simulated");
        var scenarios = json["scenarios"]!.AsArray();
        scenarios.Select(s => (s!["name"]!.GetValue<string>(), s["verdict"]!.GetValue<string>(), s["connector"]!.GetValue<string>()))
            .Should().Equal(("replay-insert", "red", "sim-insert"), ("replay-upsert", "green", "sim-upsert"));
        scenarios[0]!["anomalies"]!["duplicated"]!.GetValue<long>().Should().BePositive();
        scenarios[0]!["produced"]!.GetValue<long>().Should().Be(600);
        scenarios[0]!["inTarget"]!.GetValue<long>().Should().Be(600);

        foreach (var scenario in scenarios)
        {
            var evidence = Path.Combine(outDir, scenario!["evidence"]!.GetValue<string>());
            File.Exists(evidence).Should().BeTrue(evidence);
            JsonNode.Parse(File.ReadAllText(evidence))!["events"]!.AsArray().Should().NotBeEmpty();
        }

        var plot = File.ReadAllBytes(Path.Combine(outDir, "plots", "replay-insert.png"));
        plot.Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        File.ReadAllText(Path.Combine(outDir, "report.html")).Should().Contain("data:image/png;base64,").And.Contain("fault action at");
        File.ReadAllText(Path.Combine(outDir, "scorecard.md")).Should().Contain("| replay | 🔴 red:");
        File.ReadAllText(summary).Should().Contain("## Sink idempotency scorecard");
    }

    private sealed class SimulatedSessions : IScenarioSessionFactory
    {
        public SimulatedEnvironment? Environment { get; private set; }

        public Task<IScenarioSession> StartAsync(EnvironmentKind kind, string workDirectory, CancellationToken cancellationToken)
        {
            Environment = new SimulatedEnvironment();
            var options = new ScenarioRunnerOptions { OutputDirectory = workDirectory, PollInterval = TimeSpan.FromMilliseconds(5), SampleInterval = TimeSpan.FromMilliseconds(50) };
            return Task.FromResult<IScenarioSession>(new RunnerSession(Environment, Environment, options));
        }
    }
}
