using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Environments;

public sealed class CapabilityTests
{
    [Fact]
    public void RequireCapabilities_Missing_ThrowsWithSkipReasonListingEachMissingCapability()
    {
        var environment = new BareEnvironment(EnvironmentCapabilities.TargetFaultProxy);

        var require = () => environment.RequireCapabilities(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker | EnvironmentCapabilities.TargetFaultProxy);

        var error = require.Should().Throw<MissingCapabilityException>().Which;
        error.Missing.Should().Be(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker);
        error.Environment.Should().Be("bare");
        error.Message.Should().Be("The bare environment cannot kill a worker, add a worker (KillWorker, AddWorker); the scenario needs it, so it is skipped rather than passed.");
    }

    [Fact]
    public void RequireCapabilities_Present_DoesNotThrow()
    {
        var environment = new BareEnvironment(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.TargetFaultProxy);

        var require = () => environment.RequireCapabilities(EnvironmentCapabilities.KillWorker);

        require.Should().NotThrow();
        environment.MissingCapabilityReason(EnvironmentCapabilities.None).Should().BeNull();
    }

    [Fact]
    public void TargetEndpoint_WithPassword_RedactsInToStringAndPointsSinkAtProxy()
    {
        var target = new TargetEndpoint("Host=127.0.0.1;Port=5432;Username=postgres;Password=hunter2;Database=app", "127.0.0.1", 40000);

        target.ToString().Should().NotContain("hunter2").And.Contain("Password=[redacted]");
        target.SinkConnectionString.Should().Contain("Port=40000").And.Contain("Database=app");
        target.SinkJdbcUrl.Should().Be("jdbc:postgresql://127.0.0.1:40000/app");
    }

    [Fact]
    public void KafkaEndpoint_WithSaslSecret_RedactsInToString()
    {
        var endpoint = new KafkaEndpoint("broker:9092", new Dictionary<string, string> { ["sasl.password"] = "s3cret", ["security.protocol"] = "SASL_SSL" });

        endpoint.ToString().Should().Be("broker:9092 (sasl.password=[redacted], security.protocol=SASL_SSL)");
    }

    /// <summary>An environment that only declares capabilities, the way an External environment without kill rights would.</summary>
    private sealed class BareEnvironment(EnvironmentCapabilities capabilities) : ISinkEnvironment
    {
        public string Name => "bare";

        public EnvironmentCapabilities Capabilities => capabilities;

        public KafkaEndpoint Kafka => new("127.0.0.1:9092");

        public IReadOnlyList<Uri> ConnectUrls => [];

        public TargetEndpoint Target => new("Host=127.0.0.1", "127.0.0.1", 5432);

        public TargetFaultProxy? TargetProxy => null;

        public Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<WorkerInfo>>([]);

        public Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.AddWorker);

        public Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.KillWorker);

        public Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default) => throw new MissingCapabilityException(Name, EnvironmentCapabilities.RestartWorker);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
