using SinkIdempotency.Broker;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Shares one embedded environment pointed, through its bootstrap servers only, at a second in-process broker started separately.</summary>
/// <remarks>
/// The environment sees that broker as any Kafka-compatible cluster of a team's own: no broker faults, topics and groups
/// through the Kafka admin API. A harmless secret setting rides along to prove it never reaches a command line or a message.
/// </remarks>
public sealed class SecondBrokerFixture : ScenarioEnvironmentFixture
{
    /// <summary>A value set as <c>sasl.password</c> (ignored without SASL) that must appear in no output.</summary>
    public const string Secret = "second-broker-s3cret-9d2e";

    private KafkaBroker? _broker;

    /// <summary>Gets the second broker.</summary>
    public KafkaBroker Broker => _broker ?? throw new InvalidOperationException("The second broker starts with the environment; run a scenario first.");

    /// <summary>Gets the started environment.</summary>
    public EmbeddedEnvironment? Environment { get; private set; }

    /// <inheritdoc/>
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    /// <inheritdoc/>
    protected override async Task<IScenarioDriver> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        // The known answers' 3 s sessions need the broker's group.min.session.timeout.ms lowered, as a team could on its own cluster.
        var broker = new KafkaBroker(new KafkaBrokerOptions { GroupMinSessionTimeout = ReferenceMatrix.SessionTimeout });
        try
        {
            await broker.StartAsync(cancellationToken);
            var environment = await ReferenceMatrix.EnvironmentBuilder()
                .WithBootstrapServers(broker.BootstrapServers)
                .WithKafkaLabel("second-broker")
                .WithKafkaSetting("sasl.password", Secret)
                .StartAsync(cancellationToken);
            var adapter = await environment.CreateScenarioDriverAsync(ownsEnvironment: true, cancellationToken);
            (_broker, Environment) = (broker, environment);
            return adapter;
        }
        catch
        {
            await broker.DisposeAsync();
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
            if (_broker is not null)
            {
                await _broker.DisposeAsync();
            }
        }
    }
}
