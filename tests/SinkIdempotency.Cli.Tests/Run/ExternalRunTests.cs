using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Cli.Tests.Support;
using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Run;

/// <summary>Runs <c>run --env external</c> for real against the endpoints of an embedded environment, as a team points the tool at its staging cluster.</summary>
public sealed class ExternalRunTests : IAsyncLifetime
{
    private const string KafkaSecret = "kafka-cli-s3cret";
    private const string ConnectSecret = "connect-cli-s3cret";
    private const string TargetSecret = "pg-cli-s3cret";

    private readonly TempFolder _folder = new();
    private EmbeddedEnvironment? _cluster;

    public async ValueTask InitializeAsync()
    {
        // A cluster that cannot start (PostgreSQL is downloaded when the machine has none) is a broken setup: the tests fail.
        _cluster = await ReferenceMatrix.EnvironmentBuilder().StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Run_ReplayRowOnAClusterGivenByVariablesAndOptions_KnownAnswersAndNoSecretInAnyOutput()
    {
        var cluster = Cluster();
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Support.Cli.InvokeAsync(
            new EnvironmentSessionFactory(),
            Variables(cluster),
            "run", "--env", "external", "--filter", "replay/*", "--out", outDir,
            "--connect-url", cluster.ConnectUrls[0].AbsoluteUri,
            "--connect-user", "admin");

        code.Should().Be(ExitCodes.Red, output + error);
        output.Should().MatchRegex(@"\| replay +\| red: 1000 duplicated +\| green: 1000 records, no anomaly +\|");
        output.Should().Contain("2 run(s) on external");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!;
        json["environment"]!.GetValue<string>().Should().Be("external");
        AssertNoSecret(outDir, output, error);
    }

    [Fact]
    public async Task Run_CrashAndTargetTimeoutRows_SkippedWithTheMissingCapabilityInTheScorecard()
    {
        var cluster = Cluster();
        var outDir = Path.Combine(_folder.Path, "out");

        var (code, output, error) = await Support.Cli.InvokeAsync(
            new EnvironmentSessionFactory(),
            Variables(cluster, connectUrl: cluster.ConnectUrls[0].AbsoluteUri),
            "run", "--env", "external", "--filter", "*t*/postgres-insert", "--out", outDir);

        code.Should().Be(ExitCodes.NothingRan, "every scenario was skipped, so nothing was tested: " + output + error);
        error.Should().Contain("No scenario ran: all 6 run(s) were skipped by the external environment");
        // The console wraps long lines at its width.
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped crash-after-target-write/postgres-insert: CrashAfterTargetWrite needs the capabilities KillWorker, RestartWorker, which the environment does not have. (external environment)");
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped crash-after-offset-commit/postgres-insert: CrashAfterOffsetCommit needs the capabilities KillWorker, RestartWorker, which the environment does not have. (external environment)");
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped target-timeout/postgres-insert: TargetTimeout needs the capabilities TargetFaultProxy");
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped offset-commit-timeout/postgres-insert: offset-commit-timeout needs broker-side faults (EnvironmentCapabilities.BrokerFaults)");
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped offset-commit-refused/postgres-insert: offset-commit-refused needs broker-side faults (EnvironmentCapabilities.BrokerFaults)");
        System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ").Should().Contain("skipped fetch-stall/postgres-insert: fetch-stall needs broker-side faults (EnvironmentCapabilities.BrokerFaults)");
        var scenarios = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "scorecard.json")))!["scenarios"]!.AsArray();
        scenarios.Where(s => s!["verdict"]!.GetValue<string>() == "skipped").Should().HaveCount(6)
            .And.OnlyContain(s => s!["reasons"]!.AsArray()[0]!.GetValue<string>().Contains("(external environment)"));
        File.ReadAllText(Path.Combine(outDir, "scorecard.md")).Should().Contain("KillWorker");
        AssertNoSecret(outDir, output, error);
    }

    [Fact]
    public async Task Run_ConnectorClassNotInstalledOnTheCluster_ErrorSaysToWriteAScenarioFile()
    {
        var cluster = Cluster();
        var file = Path.Combine(_folder.Path, "jdbc.yaml");
        await File.WriteAllTextAsync(file, """
            name: orders-jdbc-replay
            connector:
              config:
                connector.class: io.confluent.connect.jdbc.JdbcSinkConnector
                insert.mode: upsert
            declared: exactly-once-effect
            fault:
              kind: replay
            """, TestContext.Current.CancellationToken);

        var (code, output, error) = await Support.Cli.InvokeAsync(
            new EnvironmentSessionFactory(),
            Variables(cluster, connectUrl: cluster.ConnectUrls[0].AbsoluteUri),
            "run", "--env", "external", "--scenario", file);

        code.Should().Be(ExitCodes.UsageError, output + error);
        error.Should().Contain("orders-jdbc-replay: the environment failed: The connector class 'io.confluent.connect.jdbc.JdbcSinkConnector' is not installed on the Connect cluster at")
            .And.Contain("installed connectors: ")
            .And.Contain(ReferenceMatrix.PostgresSinkClass)
            .And.Contain("pass it with --scenario");
    }

    [Fact]
    public async Task Run_NothingListensAtTheEndpoints_ExitsTwoNamingEachPartWithoutSecrets()
    {
        var clock = Stopwatch.StartNew();

        var (code, output, error) = await Support.Cli.InvokeAsync(
            new EnvironmentSessionFactory(),
            new Dictionary<string, string>
            {
                [ExternalEnvironmentOptions.BootstrapServersVariable] = $"127.0.0.1:{ClosedPort()}",
                ["SINKIDEMPOTENCY_KAFKA_SASL_PASSWORD"] = KafkaSecret,
                [ExternalEnvironmentOptions.ConnectUrlsVariable] = $"http://127.0.0.1:{ClosedPort()}",
                [ExternalEnvironmentOptions.ConnectUserVariable] = "admin",
                [ExternalEnvironmentOptions.ConnectPasswordVariable] = ConnectSecret,
                [ExternalEnvironmentOptions.TargetVariable] = $"Host=127.0.0.1;Port={ClosedPort()};Username=harness;Password={TargetSecret}",
            },
            "run", "--env", "external", "--filter", "replay/*");

        code.Should().Be(ExitCodes.UsageError);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "each check is bounded by the 15 s reachability timeout and they run at once");
        error.Should().StartWith("The external environment could not start: ")
            .And.Contain("Kafka at 127.0.0.1:")
            .And.Contain("Kafka Connect is not answering")
            .And.Contain("is not reachable");
        output.Should().BeEmpty();
        (output + error).Should().NotContain(KafkaSecret).And.NotContain(ConnectSecret).And.NotContain(TargetSecret);
    }

    [Fact]
    public async Task Run_KafkaSettingWithoutEquals_ExitsTwoWithoutEchoingTheValue()
    {
        var (code, _, error) = await Support.Cli.InvokeAsync(new EnvironmentSessionFactory(), null, "run", "--env", "external", "--kafka-setting", "sasl.password", "--connect-url", "connect:8083");

        code.Should().Be(ExitCodes.UsageError);
        error.Should().Contain("--kafka-setting needs KEY=VALUE, e.g. security.protocol=SASL_SSL; got '(no '=')'.")
            .And.Contain("--connect-url: 'connect:8083' is not a Connect REST URL");
    }

    private static Dictionary<string, string> Variables(EmbeddedEnvironment cluster, string? connectUrl = null)
    {
        var variables = new Dictionary<string, string>
        {
            [ExternalEnvironmentOptions.BootstrapServersVariable] = cluster.Kafka.BootstrapServers,

            // A plaintext broker ignores SASL credentials, trust authentication ignores the password, the worker ignores basic authentication: all three are here to prove none leaks.
            ["SINKIDEMPOTENCY_KAFKA_SASL_USERNAME"] = "harness",
            ["SINKIDEMPOTENCY_KAFKA_SASL_PASSWORD"] = KafkaSecret,
            [ExternalEnvironmentOptions.ConnectPasswordVariable] = ConnectSecret,
            [ExternalEnvironmentOptions.ConnectUserVariable] = "admin",
            [ExternalEnvironmentOptions.TargetVariable] = new NpgsqlConnectionStringBuilder(cluster.PostgreSql.ConnectionString) { Password = TargetSecret }.ConnectionString,
        };
        if (connectUrl is not null)
        {
            variables[ExternalEnvironmentOptions.ConnectUrlsVariable] = connectUrl;
        }

        return variables;
    }

    private static void AssertNoSecret(string outDir, string output, string error)
    {
        var everything = new StringBuilder(output).AppendLine(error);
        var files = Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)).ToList();
        files.Should().Contain(f => f.EndsWith("scorecard.json", StringComparison.Ordinal));
        foreach (var path in files)
        {
            everything.AppendLine(File.ReadAllText(path));
        }

        foreach (var secret in new[] { KafkaSecret, ConnectSecret, TargetSecret })
        {
            everything.ToString().Should().NotContain(secret);
        }
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    private EmbeddedEnvironment Cluster()
    {
        return _cluster ?? throw new InvalidOperationException("The embedded environment (the stand-in for a staging cluster) did not start.");
    }
}
