using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Starts one embedded environment (broker, a Connect worker with the test plugin's sinks, local PostgreSQL, target fault proxy) for the whole collection.</summary>
public sealed class EmbeddedScenarioFixture : ScenarioEnvironmentFixture
{
    protected override ScenarioRunnerOptions RunnerOptions => new()
    {
        OutputDirectory = Path.Combine(AppContext.BaseDirectory, "sink-idempotency-results"),
        PollInterval = TimeSpan.FromMilliseconds(10),
    };

    protected override async Task<IScenarioEnvironment> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        EmbeddedEnvironment environment;
        try
        {
            environment = await ReferenceMatrix.EnvironmentBuilder().WithPluginPath(WindowSinkScenarios.PluginFolder).StartAsync(cancellationToken);
        }
        catch (EnvironmentStartException ex) when (ex.InnerException is LocalPostgreSqlException missing && missing.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new ScenarioEnvironmentUnavailableException($"The embedded environment needs PostgreSQL server binaries: {missing.Message}", ex);
        }

        return await SinkScenarioEnvironment.CreateAsync(environment, ownsEnvironment: true, cancellationToken);
    }
}
