using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Run;

/// <summary>Runs scenarios on one started environment; disposing stops the environment.</summary>
internal interface IScenarioSession : IAsyncDisposable
{
    /// <summary>Gets the environment's report name (<c>embedded</c>, <c>docker</c>, <c>external</c>).</summary>
    string EnvironmentName { get; }

    /// <summary>Runs one scenario to its result.</summary>
    /// <exception cref="ScenarioEnvironmentException">Thrown when the environment fails in a way that says nothing about the sink.</exception>
    Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken);

    /// <summary>Checks a scenario against the environment before anything runs.</summary>
    /// <exception cref="ScenarioConfigurationException">Thrown when the scenario sets a connector setting the environment would have to replace.</exception>
    void Check(Scenario scenario)
    {
    }
}
