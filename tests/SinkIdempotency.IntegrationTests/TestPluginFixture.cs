using SinkIdempotency.Environments;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>An embedded environment whose workers load the test sinks with known defects (tests/SinkIdempotency.TestPlugin) by path, as a team's own .NET sink.</summary>
public sealed class TestPluginFixture : EmbeddedEnvironmentFixture
{
    /// <summary>Gets the plugin assembly the build copies next to the tests.</summary>
    public static string PluginPath { get; } = Path.Combine(AppContext.BaseDirectory, "plugins", "test-plugin", "SinkIdempotency.TestPlugin.dll");

    /// <inheritdoc />
    protected override EmbeddedEnvironmentBuilder Configure(EmbeddedEnvironmentBuilder builder) => builder.WithPluginPath(PluginPath);
}
