using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Matrix;

/// <summary>Pairs a scenario with the scorecard column it belongs to (the connector configuration under test).</summary>
/// <param name="Connector">The scorecard column, for example <c>postgres-insert</c>.</param>
/// <param name="Scenario">The scenario to run.</param>
/// <param name="Source">Where the scenario came from: <c>built-in</c> or the scenario file's path.</param>
internal sealed record MatrixEntry(string Connector, Scenario Scenario, string Source)
{
    public string Name => Scenario.Name;

    /// <summary>Gets the folders or assemblies with .NET sinks the embedded workers must load for this scenario (a scenario file's <c>plugins:</c>).</summary>
    public IReadOnlyList<string> PluginPaths { get; init; } = [];
}
