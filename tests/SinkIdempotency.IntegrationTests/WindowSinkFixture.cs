using SinkIdempotency.Environments;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Shares one embedded environment whose worker also loads the test plugin's sinks (<see cref="WindowSinkScenarios"/>).</summary>
public sealed class WindowSinkFixture : EmbeddedEnvironmentFixture
{
    protected override EmbeddedEnvironmentBuilder Configure(EmbeddedEnvironmentBuilder builder) => builder.WithPluginPath(WindowSinkScenarios.PluginFolder);
}
