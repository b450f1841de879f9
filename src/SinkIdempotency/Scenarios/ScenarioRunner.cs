namespace SinkIdempotency.Scenarios;

/// <summary>Runs scenarios on an environment: deploy, produce, inject the fault, settle, reconcile, judge, clean up.</summary>
/// <remarks>
/// Each run gets its own namespace (topic, table and connector names carry the run id). Cleanup deletes the connector
/// and drops only what the run created, on every path, failures included. A scenario whose fault needs a capability
/// the environment lacks is returned as skipped with the reason, never as passed. Errors of the environment itself
/// (a connector that never starts, an unreachable broker) are thrown after cleanup: they say nothing about the sink.
/// </remarks>
/// <param name="environment">The environment to run on.</param>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class ScenarioRunner(IScenarioDriver environment, ScenarioRunnerOptions? options = null)
{
    private readonly IScenarioDriver _environment = environment ?? throw new ArgumentNullException(nameof(environment));

    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public ScenarioRunnerOptions Options { get; } = Validated(options ?? new ScenarioRunnerOptions());

    /// <summary>Runs one scenario to its verdict.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="cancellationToken">Cancels the run; cleanup still happens.</param>
    /// <returns>The result with verdict, reconciliation and evidence.</returns>
    /// <exception cref="ArgumentException">Thrown when the scenario is invalid.</exception>
    /// <exception cref="ScenarioConfigurationException">Thrown, before anything is created, when the scenario sets a target, topic or table setting the environment would replace.</exception>
    /// <exception cref="ScenarioEnvironmentException">Thrown when the environment fails in a way that says nothing about the sink.</exception>
    public Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        var names = Options.RunId is { } runId ? RunNamespace.Create(scenario.Name, runId) : RunNamespace.Create(scenario.Name);
        return new ScenarioRun(_environment, scenario, names, Options).RunAsync(cancellationToken);
    }

    /// <summary>Checks a scenario against this runner's environment without running it: the scenario is valid, and sets no connector setting the environment would have to replace.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <exception cref="ArgumentException">Thrown when the scenario is invalid.</exception>
    /// <exception cref="ScenarioConfigurationException">Thrown when the scenario sets a target, topic or table setting the environment would replace; the message names the key and what to change.</exception>
    /// <remarks>Blocks while a target's server starts (the first MySQL scenario on the embedded environment); <see cref="CheckAsync"/> does not.</remarks>
    public void Check(Scenario scenario) =>
        CheckAsync(scenario).GetAwaiter().GetResult();

    /// <summary>Checks a scenario against this runner's environment without running it: the scenario is valid, its target is served and supports its failure case, and it sets no connector setting the environment would have to replace.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="cancellationToken">Cancels the check (a target's server may start on first use).</param>
    /// <returns>A task that completes when the scenario passed the check.</returns>
    /// <exception cref="ArgumentException">Thrown when the scenario is invalid.</exception>
    /// <exception cref="ScenarioConfigurationException">Thrown naming the key and what to change.</exception>
    public Task CheckAsync(Scenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        return new ScenarioRun(_environment, scenario, RunNamespace.Create(scenario.Name, "check"), Options).CheckAsync(cancellationToken);
    }

    private static ScenarioRunnerOptions Validated(ScenarioRunnerOptions options)
    {
        options.Validate();
        return options;
    }
}
