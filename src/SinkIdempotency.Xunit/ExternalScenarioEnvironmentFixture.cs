using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one <see cref="ExternalEnvironment"/> (a team's staging cluster) across a collection, configured from <c>SINKIDEMPOTENCY_*</c> environment variables.</summary>
/// <remarks>
/// When no endpoint variable is set at all, every test that uses the fixture is skipped with a reason naming the variables,
/// so the same suite runs on a laptop (skipped) and in the pipeline that points at the cluster. A configuration that is
/// set but incomplete or unreachable fails the tests with the message of <see cref="ExternalEnvironmentOptions.Problems"/>
/// or <see cref="EnvironmentStartException"/>. Scenarios that must kill or add a worker are skipped with the missing capability.
/// </remarks>
public class ExternalScenarioEnvironmentFixture : ScenarioEnvironmentFixture
{
    /// <summary>Gets the environment variables the endpoints are read from, or <see langword="null"/> for the process's own.</summary>
    /// <value><see langword="null"/>.</value>
    protected virtual IReadOnlyDictionary<string, string>? Variables => null;

    /// <summary>Creates the builder of the environment; override to add settings in code (they win over the variables).</summary>
    /// <returns>A builder filled from <see cref="Variables"/>.</returns>
    protected virtual ExternalEnvironmentBuilder CreateBuilder() =>
        Variables is { } variables ? new ExternalEnvironmentBuilder().WithEnvironmentVariables(variables) : new ExternalEnvironmentBuilder().WithEnvironmentVariables();

    /// <inheritdoc/>
    protected override async Task<IScenarioEnvironment> StartEnvironmentAsync(CancellationToken cancellationToken)
    {
        var builder = CreateBuilder();
        var options = builder.Options;
        if (options.BootstrapServers is null && options.ConnectUrls.Count == 0 && options.TargetConnectionString is null)
        {
            throw new ScenarioEnvironmentUnavailableException(
                $"No external cluster is configured: set {ExternalEnvironmentOptions.BootstrapServersVariable}, {ExternalEnvironmentOptions.ConnectUrlsVariable} and {ExternalEnvironmentOptions.TargetVariable} to run these scenarios against it.");
        }

        var environment = await builder.StartAsync(cancellationToken).ConfigureAwait(false);
        return new SinkScenarioEnvironment(environment, ownsEnvironment: true, offsetsApi: environment.SupportsOffsetsApi);
    }
}
