using SinkIdempotency.Embedded;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Starts one embedded environment (broker, two Connect workers, local PostgreSQL, target fault proxy) for the whole collection.</summary>
public sealed class EmbeddedScenarioFixture : ScenarioEnvironmentFixture
{
    /// <summary>The worker setting that makes offset commits frequent enough for a suite, rare enough to leave a window.</summary>
    public static readonly TimeSpan OffsetFlushInterval = TimeSpan.FromSeconds(1);

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
            environment = await KnownAnswers.Builder().StartAsync(cancellationToken);
        }
        catch (EnvironmentStartException ex) when (ex.InnerException is LocalPostgreSqlException missing && missing.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new ScenarioEnvironmentUnavailableException($"The embedded environment needs PostgreSQL server binaries: {missing.Message}", ex);
        }

        return new SinkScenarioEnvironment(environment, ownsEnvironment: true);
    }
}
