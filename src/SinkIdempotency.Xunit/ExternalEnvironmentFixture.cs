using SinkIdempotency.Environments;

namespace SinkIdempotency.Xunit;

/// <summary>Shares one <see cref="ExternalEnvironment"/> (a team's staging cluster) across a collection, configured from <c>SINKIDEMPOTENCY_*</c> environment variables.</summary>
/// <remarks>
/// Use it through <see cref="ExternalCollection"/>, or derive from it and override
/// <see cref="SinkEnvironmentFixture{TBuilder, TEnvironment}.Configure"/> to add settings in code (they win over the variables).
/// When no endpoint variable is set at all, every test that uses the fixture is skipped with a reason naming the variables,
/// so the same suite runs on a laptop (skipped) and in the pipeline that points at the cluster. A configuration that is
/// set but incomplete or unreachable fails the tests. Scenarios that must kill or add a worker are skipped with the missing capability.
/// </remarks>
public class ExternalEnvironmentFixture : SinkEnvironmentFixture<ExternalEnvironmentBuilder, ExternalEnvironment>
{
    /// <summary>Gets the environment variables the endpoints are read from, or <see langword="null"/> for the process's own.</summary>
    /// <value><see langword="null"/>.</value>
    protected virtual IReadOnlyDictionary<string, string>? Variables => null;

    /// <summary>Creates a builder filled from <see cref="Variables"/>.</summary>
    /// <returns>The builder.</returns>
    protected override ExternalEnvironmentBuilder CreateBuilder() =>
        Variables is { } variables ? new ExternalEnvironmentBuilder().WithEnvironmentVariables(variables) : new ExternalEnvironmentBuilder().WithEnvironmentVariables();

    /// <inheritdoc/>
    protected override string? SkipBeforeStart()
    {
        var options = Configure(CreateBuilder()).Options;
        return options.BootstrapServers is null && options.ConnectUrls.Count == 0 && options.TargetConnectionString is null
            ? $"No external cluster is configured: set {ExternalEnvironmentOptions.BootstrapServersVariable}, {ExternalEnvironmentOptions.ConnectUrlsVariable} and {ExternalEnvironmentOptions.TargetVariable} to run these tests against it."
            : null;
    }
}
