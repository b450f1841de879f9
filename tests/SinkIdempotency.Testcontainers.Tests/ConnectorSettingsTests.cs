using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using WorkerInfo = SinkIdempotency.Environments.WorkerInfo;

namespace SinkIdempotency.Testcontainers.Tests;

/// <summary>Checks the JDBC settings the scenario adapter gives connectors for a target shaped like the Docker environment's.</summary>
public sealed class ConnectorSettingsTests
{
    private static readonly TargetEndpoint DockerShaped = new(
        "Host=127.0.0.1;Port=49160;Database=postgres;Username=postgres;Password=pw-123",
        "host.testcontainers.internal",
        41000)
    {
        DirectSinkHost = "postgres",
        DirectSinkPort = 5432,
    };

    [Fact]
    public async Task GetTargetConnectorSettings_Direct_UsesThePostgresAliasNotThePublishedPort()
    {
        await using var adapter = new SinkScenarioDriver(new TargetOnly(DockerShaped));

        var settings = (await adapter.GetTargetAsync(ScenarioTarget.PostgreSqlKind, TestContext.Current.CancellationToken)).GetConnectorSettings(throughProxy: false);

        settings["connection.url"].Should().Be("jdbc:postgresql://postgres:5432/postgres");
        settings["connection.user"].Should().Be("postgres");
        settings["connection.password"].Should().Be("pw-123");
    }

    [Fact]
    public async Task GetTargetConnectorSettings_ThroughProxy_UsesTheForwardedHostPortWithASocketTimeout()
    {
        await using var adapter = new SinkScenarioDriver(new TargetOnly(DockerShaped));

        var settings = (await adapter.GetTargetAsync(ScenarioTarget.PostgreSqlKind, TestContext.Current.CancellationToken)).GetConnectorSettings(throughProxy: true);

        settings["connection.url"].Should().Be($"jdbc:postgresql://host.testcontainers.internal:41000/postgres?socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds}");
        Connect.SecretRedactor.RedactConfig(settings).Values.Should().NotContain(v => v.Contains("pw-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTargetConnectorSettings_WithoutDirectSinkAddress_KeepsTheConnectionStringsHost()
    {
        var embeddedShaped = new TargetEndpoint("Host=127.0.0.1;Port=5433;Database=postgres;Username=postgres", "127.0.0.1", 6000);
        await using var adapter = new SinkScenarioDriver(new TargetOnly(embeddedShaped));

        (await adapter.GetTargetAsync(ScenarioTarget.PostgreSqlKind, TestContext.Current.CancellationToken)).GetConnectorSettings(throughProxy: false)["connection.url"].Should().Be("jdbc:postgresql://127.0.0.1:5433/postgres");
    }

    /// <summary>An environment that only describes its target; nothing in these tests reaches Kafka or Connect.</summary>
    private sealed class TargetOnly(TargetEndpoint target) : ISinkEnvironment
    {
        public string Name => "docker";

        public EnvironmentCapabilities Capabilities => EnvironmentCapabilities.None;

        public KafkaEndpoint Kafka => new("127.0.0.1:1");

        public IReadOnlyList<Uri> ConnectUrls => [];

        public TargetEndpoint Target => target;

        public TargetFaultProxy? TargetProxy => null;

        public Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<WorkerInfo>>([]);

        public Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.AddWorker);

        public Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.KillWorker);

        public Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.RestartWorker);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
