using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Run;

/// <summary>Runs scenarios on a team's own cluster (<c>--env external</c>): checks that each scenario's connector class is installed there, and keeps secrets out of every message.</summary>
/// <remarks>
/// The built-in matrix configures the reference sinks of SinkIdempotency.Worker; a cluster without them answers each of
/// those scenarios with an error that says to describe the team's own connector in a scenario file (<c>--scenario</c>).
/// </remarks>
internal sealed class ExternalSession : IScenarioSession
{
    private readonly ExternalEnvironment _environment;
    private readonly IScenarioDriver _adapter;
    private readonly ScenarioRunner _runner;
    private IReadOnlyList<string>? _installed;

    private ExternalSession(ExternalEnvironment environment, IScenarioDriver driver, ScenarioRunnerOptions options)
    {
        _environment = environment;
        _adapter = driver;
        _runner = new ScenarioRunner(_adapter, options);
    }

    public string EnvironmentName => _environment.Name;

    /// <summary>Checks the settings and the endpoints, and returns a session; nothing is created on the cluster.</summary>
    /// <exception cref="EnvironmentUnavailableException">Thrown when a setting is missing or an endpoint does not answer, saying which and what to set.</exception>
    public static async Task<IScenarioSession> StartAsync(ExternalEnvironmentOptions options, string workDirectory, CancellationToken cancellationToken)
    {
        ExternalEnvironment environment;
        try
        {
            environment = await new ExternalEnvironmentBuilder(options).StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new EnvironmentUnavailableException(ex.Message, ex);
        }

        // The external environment answers the offsets-API question from what it learned at start, so this cannot fail.
        var driver = await environment.CreateScenarioDriverAsync(ownsEnvironment: true, cancellationToken).ConfigureAwait(false);
        return new ExternalSession(environment, driver, new ScenarioRunnerOptions { OutputDirectory = workDirectory });
    }

    public void Check(Scenario scenario) => _runner.Check(scenario);

    public Task<global::SinkIdempotency.Assessment.KafkaLayerFacts> ReadKafkaLayerAsync(global::SinkIdempotency.Assessment.AssessmentDefinition definition, CancellationToken cancellationToken) =>
        global::SinkIdempotency.Assessment.AssessmentRunner.ReadKafkaLayerAsync(_environment.Kafka, _adapter.Capabilities, definition, cancellationToken);

    public async Task<global::SinkIdempotency.Assessment.DualRunResult?> RunDualAsync(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, CancellationToken cancellationToken) =>
        await global::SinkIdempotency.Assessment.DualRun.RunAsync(_adapter, legacy, next, new global::SinkIdempotency.Assessment.DualRunOptions { PollInterval = _runner.Options.PollInterval }, cancellationToken).ConfigureAwait(false);

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        // A scenario the environment must skip is skipped with its reason, whatever its connector.
        if (scenario.Fault?.MissingCapabilityReason(_adapter.Capabilities) is null
            && scenario.ConnectorConfig.TryGetValue("connector.class", out var connectorClass))
        {
            var installed = await InstalledAsync(cancellationToken).ConfigureAwait(false);
            if (!installed.Any(c => Matches(c, connectorClass)))
            {
                throw new ScenarioEnvironmentException(
                    $"The connector class '{connectorClass}' is not installed on the Connect cluster at {_environment.ConnectUrls[0]} (installed connectors: {(installed.Count == 0 ? "none" : string.Join(", ", installed))}). "
                    + "The built-in matrix uses the reference sinks of SinkIdempotency.Worker; on your cluster, describe your own connector in a scenario file and pass it with --scenario (see docs/cli.md).");
            }
        }

        try
        {
            return await _runner.RunAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (ScenarioEnvironmentException ex)
        {
            // Connect's error bodies can quote a connector's configuration back.
            throw new ScenarioEnvironmentException(SecretRedactor.RedactText(ex.Message));
        }
    }

    public ValueTask DisposeAsync() => _adapter.DisposeAsync();

    // Connect accepts a plugin's full class name, its simple name, or the simple name without "Connector".
    internal static bool Matches(string installed, string requested) =>
        string.Equals(installed, requested, StringComparison.Ordinal)
        || installed.EndsWith("." + requested, StringComparison.Ordinal)
        || installed.EndsWith("." + requested + "Connector", StringComparison.Ordinal);

    private async Task<IReadOnlyList<string>> InstalledAsync(CancellationToken cancellationToken)
    {
        if (_installed is null)
        {
            using var client = new ConnectRestClient(_environment.ConnectUrls[0], _environment.CreateConnectClientOptions());
            var plugins = await client.ListConnectorPluginsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _installed = [.. plugins.Select(p => p.Class).Order(StringComparer.Ordinal)];
        }

        return _installed;
    }
}
