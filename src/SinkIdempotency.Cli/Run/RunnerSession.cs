using SinkIdempotency.Assessment;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Run;

/// <summary>Runs scenarios with the harness's <see cref="ScenarioRunner"/> on a started environment, and disposes the environment at the end.</summary>
internal sealed class RunnerSession(IScenarioDriver environment, IAsyncDisposable lifetime, ScenarioRunnerOptions options, ISinkEnvironment? cluster = null) : IScenarioSession
{
    private readonly ScenarioRunner _runner = new(environment, options);

    public string EnvironmentName => environment.Name;

    public Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken) => _runner.RunAsync(scenario, cancellationToken);

    public void Check(Scenario scenario) => _runner.Check(scenario);

    public Task<KafkaLayerFacts> ReadKafkaLayerAsync(AssessmentDefinition definition, CancellationToken cancellationToken) =>
        cluster is null
            ? Task.FromResult(IScenarioSession.NoCluster(definition, EnvironmentName))
            : AssessmentRunner.ReadKafkaLayerAsync(cluster.Kafka, environment.Capabilities, definition, cancellationToken);

    public async Task<DualRunResult?> RunDualAsync(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, CancellationToken cancellationToken) =>
        await DualRun.RunAsync(environment, legacy, next, new DualRunOptions { PollInterval = options.PollInterval }, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => lifetime.DisposeAsync();
}
