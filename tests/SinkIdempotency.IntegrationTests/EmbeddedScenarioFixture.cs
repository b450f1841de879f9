using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Starts one embedded environment (broker, two Connect workers, local PostgreSQL, target fault proxy) for the whole collection.</summary>
public sealed class EmbeddedScenarioFixture : ScenarioEnvironmentFixture
{
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    protected override async Task<IScenarioEnvironment> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        // Nothing here skips: PostgreSQL is downloaded when the machine has none, so a failure to start is a broken setup.
        var environment = await ReferenceMatrix.EnvironmentBuilder().StartAsync(cancellationToken);
        return await SinkScenarioEnvironment.CreateAsync(environment, ownsEnvironment: true, cancellationToken);
    }
}
