using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Shares one embedded environment whose Kafka is librdkafka's mock cluster (a broker nobody on the project wrote), started on first use.</summary>
/// <remarks>The mock cluster lives as long as the environment and is disposed after it, on every path, a failed start included.</remarks>
public sealed class LibrdkafkaMockFixture : ScenarioEnvironmentFixture
{
    private LibrdkafkaMockCluster? _cluster;

    /// <summary>Gets the started environment.</summary>
    public EmbeddedEnvironment? Environment { get; private set; }

    /// <summary>Gets the mock cluster the environment runs on.</summary>
    public LibrdkafkaMockCluster Cluster => _cluster ?? throw new InvalidOperationException("The mock cluster starts with the environment; run a scenario first.");

    /// <inheritdoc/>
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    /// <inheritdoc/>
    protected override async Task<IScenarioDriver> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        // No initial rebalance delay, as the embedded broker: with the mock's default (3 s, a broker's default) every task
        // restart waits 3 s to join, the stream piles up meanwhile, and the crash cases lose most of their windows.
        var cluster = LibrdkafkaMockCluster.Start(initialRebalanceDelay: TimeSpan.Zero);
        try
        {
            // The mock enforces no group.min.session.timeout.ms, so the known answers' 3 s sessions stand.
            var environment = await ReferenceMatrix.EnvironmentBuilder().WithKafka(cluster).StartAsync(cancellationToken);
            var adapter = await environment.CreateScenarioDriverAsync(ownsEnvironment: true, cancellationToken);
            (_cluster, Environment) = (cluster, environment);
            return adapter;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask StopEnvironmentAsync(IScenarioDriver environment)
    {
        try
        {
            await base.StopEnvironmentAsync(environment);
        }
        finally
        {
            _cluster?.Dispose();
        }
    }
}
