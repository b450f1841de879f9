using System.Text;
using Npgsql;
using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Environments;

/// <summary>Starts the embedded environment and drives it only through its endpoints, as a team points the harness at a staging cluster.</summary>
public sealed class ExternalEnvironmentEndToEndTests : IAsyncLifetime
{
    private const string KafkaSecret = "kafka-e2e-s3cret";
    private const string ConnectSecret = "connect-e2e-s3cret";
    private const string TargetSecret = "pg-e2e-s3cret";
    private static readonly string[] Secrets = [KafkaSecret, ConnectSecret, TargetSecret];

    private readonly string _output = Path.Combine(Path.GetTempPath(), "si-external-" + Guid.NewGuid().ToString("N")[..8]);
    private EmbeddedEnvironment? _cluster;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A cluster that cannot start (PostgreSQL is downloaded when the machine has none) is a broken setup: the tests fail.
        _cluster = await ReferenceMatrix.EnvironmentBuilder().StartAsync(Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_EndpointsOfARunningCluster_ChecksPassAndCreateNothing()
    {
        var cluster = Cluster();
        var topicsBefore = await TopicNamesAsync(cluster);

        await using var environment = await Builder(cluster).StartAsync(Token);

        environment.ConnectVersion.Should().Be("3.9.0");
        environment.SupportsOffsetsApi.Should().BeTrue();
        environment.KafkaClusterId.Should().NotBeNullOrEmpty();
        (await TopicNamesAsync(cluster)).Should().BeEquivalentTo(topicsBefore);
        var workers = await environment.ListWorkersAsync(Token);
        workers.Should().ContainSingle().Which.IsRunning.Should().BeTrue();
    }

    [Fact]
    public async Task StartAsync_ProxyAddress_ProxyForwardsToTheTarget()
    {
        var cluster = Cluster();
        var port = FreePort();

        await using var environment = await Builder(cluster).WithTargetProxy($"127.0.0.1:{port}").StartAsync(Token);

        environment.Capabilities.Should().Be(EnvironmentCapabilities.TargetFaults);
        environment.TargetProxy!.Port.Should().Be(port);
        await using var viaProxy = new NpgsqlConnection(environment.Target.SinkConnectionString);
        await viaProxy.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT 1", viaProxy);
        (await command.ExecuteScalarAsync(Token)).Should().Be(1);
        new SinkScenarioEnvironment(environment).Capabilities.Should().HaveFlag(ScenarioCapabilities.TargetFaultProxy);
    }

    [Fact]
    public async Task RunAsync_TargetTimeoutThroughTheProxyAddress_KnownAnswers()
    {
        var cluster = Cluster();
        await using var environment = await Builder(cluster).WithTargetProxy($"127.0.0.1:{FreePort()}").StartAsync(Token);
        await using var adapter = await SinkScenarioEnvironment.CreateAsync(environment, cancellationToken: Token);
        var runner = new ScenarioRunner(adapter, new ScenarioRunnerOptions { OutputDirectory = _output, PollInterval = TimeSpan.FromMilliseconds(10) });

        // The connectors get a JDBC URL through the proxy with socketTimeout, which the worker turns into a read timeout.
        var insert = await runner.RunAsync(Scenario("target-timeout/postgres-insert"), Token);
        var upsert = await runner.RunAsync(Scenario("target-timeout/postgres-upsert"), Token);

        insert.Outcome.Should().Be(ScenarioOutcome.Settled, insert.ToString());
        insert.Verdict.Should().Be(Verdict.Red, insert.ToString());
        insert.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        upsert.Outcome.Should().Be(ScenarioOutcome.Settled, upsert.ToString());
        upsert.Verdict.Should().Be(Verdict.Green, upsert.ToString());
        environment.TargetProxy!.GetCounters().ResponsesWithheld.Should().BeGreaterThanOrEqualTo(2, "each run withheld one COMMIT reply");
    }

    [Fact]
    public async Task RunAsync_ReplayAndSchemaBreakThroughEndpointsOnly_KnownAnswersAndNoSecretAnywhere()
    {
        var cluster = Cluster();
        await using var environment = await Builder(cluster).StartAsync(Token);
        await using var adapter = new SinkScenarioEnvironment(environment, offsetsApi: environment.SupportsOffsetsApi);
        var runner = new ScenarioRunner(adapter, new ScenarioRunnerOptions { OutputDirectory = _output, PollInterval = TimeSpan.FromMilliseconds(10) });

        // A team's own topic and table live next to the runs' and must survive every cleanup.
        cluster.Broker.CreateTopic("team-orders", 1);
        await ExecuteAsync(cluster, "CREATE TABLE team_orders (id int)");
        var topicsBefore = await TopicNamesAsync(cluster);

        var replayInsert = await runner.RunAsync(Scenario("replay/postgres-insert"), Token);
        var replayUpsert = await runner.RunAsync(Scenario("replay/postgres-upsert"), Token);
        var schemaInsert = await runner.RunAsync(Scenario("schema-break/postgres-insert"), Token);
        var schemaUpsert = await runner.RunAsync(Scenario("schema-break/postgres-upsert"), Token);

        replayInsert.Environment.Should().Be("external");
        replayInsert.Verdict.Should().Be(Verdict.Red, replayInsert.ToString());
        replayInsert.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        replayInsert.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
        replayUpsert.Verdict.Should().Be(Verdict.Green, replayUpsert.ToString());
        File.ReadAllText(replayUpsert.EvidencePath!).Should().Contain("reset-offsets-api", "a Connect 3.9 cluster resets through KIP-875");
        schemaInsert.Verdict.Should().Be(Verdict.Red, schemaInsert.ToString());
        schemaInsert.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
        schemaUpsert.Verdict.Should().NotBe(Verdict.Red, schemaUpsert.ToString());
        schemaUpsert.Report![AnomalyKind.DeadLettered].Count.Should().Be(1);
        foreach (var result in new[] { replayInsert, replayUpsert, schemaInsert, schemaUpsert })
        {
            result.CleanupErrors.Should().BeEmpty();
        }

        // Cleanup removed exactly what the runs created.
        (await TopicNamesAsync(cluster)).Should().BeEquivalentTo(topicsBefore);
        (await TableNamesAsync(cluster)).Should().NotContain(t => t.StartsWith("si_", StringComparison.Ordinal)).And.Contain("team_orders");
        topicsBefore.Should().Contain("team-orders");

        var written = Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories).ToList();
        written.Should().Contain(f => f.EndsWith("evidence.json", StringComparison.Ordinal)).And.Contain(f => f.EndsWith("report.json", StringComparison.Ordinal));
        var everything = new StringBuilder();
        foreach (var file in written)
        {
            everything.AppendLine(await File.ReadAllTextAsync(file, Token));
        }

        foreach (var result in new[] { replayInsert, replayUpsert, schemaInsert, schemaUpsert })
        {
            everything.AppendLine(result.ToString()).AppendJoin('\n', result.Evidence.Snapshot().Select(e => e.ToString()));
        }

        everything.ToString().Should().Contain("connection.password").And.Contain("[redacted]");
        foreach (var secret in Secrets)
        {
            everything.ToString().Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task RunAsync_CrashRebalanceAndTargetTimeoutWithoutProxy_SkipNamingTheMissingCapability()
    {
        var cluster = Cluster();
        await using var environment = await Builder(cluster).StartAsync(Token);
        await using var adapter = new SinkScenarioEnvironment(environment);
        var runner = new ScenarioRunner(adapter, new ScenarioRunnerOptions { OutputDirectory = _output });
        var topicsBefore = await TopicNamesAsync(cluster);

        var crash = await runner.RunAsync(Scenario("crash-after-target-write/postgres-insert"), Token);
        var rebalance = await runner.RunAsync(Scenario("rebalance/postgres-upsert"), Token);
        var timeout = await runner.RunAsync(Scenario("target-timeout/postgres-insert"), Token);

        crash.Outcome.Should().Be(ScenarioOutcome.Skipped);
        crash.Verdict.Should().BeNull();
        crash.SkipReason.Should().Be("CrashAfterTargetWrite needs the capabilities KillWorker, RestartWorker, which the environment does not have. (external environment)");
        rebalance.Outcome.Should().Be(ScenarioOutcome.Skipped);
        rebalance.SkipReason.Should().Contain("KillWorker, AddWorker").And.Contain("external");
        timeout.Outcome.Should().Be(ScenarioOutcome.Skipped);
        timeout.SkipReason.Should().Contain("TargetFaultProxy").And.Contain("external");
        (await TopicNamesAsync(cluster)).Should().BeEquivalentTo(topicsBefore, "a skipped scenario creates nothing");
    }

    private static ExternalEnvironmentBuilder Builder(EmbeddedEnvironment cluster) =>
        new ExternalEnvironmentBuilder()
            .WithBootstrapServers(cluster.Kafka.BootstrapServers)

            // A plaintext broker ignores SASL credentials; they are here to prove none leaks.
            .WithKafkaSetting("sasl.username", "harness")
            .WithKafkaSetting("sasl.password", KafkaSecret)
            .WithConnectUrl(cluster.ConnectUrls[0])
            .WithConnectBasicAuthentication("admin", ConnectSecret)

            // Trust authentication ignores the password, which still travels in the connectors' configs.
            .WithTarget(new NpgsqlConnectionStringBuilder(cluster.PostgreSql.ConnectionString) { Password = TargetSecret }.ConnectionString)
            .WithReachabilityTimeout(TimeSpan.FromSeconds(20));

    private static Scenario Scenario(string name) => ReferenceMatrix.Scenarios.Single(s => s.Name == name).Scenario;

    private static Task<List<string>> TopicNamesAsync(EmbeddedEnvironment cluster) => Task.FromResult<List<string>>(
        [.. cluster.Broker.TopicNames.Where(t => !t.StartsWith("__", StringComparison.Ordinal) && !t.StartsWith("connect-", StringComparison.Ordinal)).Order()]);

    private static async Task<List<string>> TableNamesAsync(EmbeddedEnvironment cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.PostgreSql.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(EmbeddedEnvironment cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.PostgreSql.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }

    private EmbeddedEnvironment Cluster()
    {
        return _cluster ?? throw new InvalidOperationException("The embedded environment (the stand-in for a staging cluster) did not start.");
    }
}
