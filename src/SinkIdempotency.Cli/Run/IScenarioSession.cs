using SinkIdempotency.Assessment;
using SinkIdempotency.Environments;
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

    /// <summary>Asks the environment's cluster what an assessment's Kafka-layer rows need (retention, ACLs, offset-reset paths).</summary>
    /// <remarks>An environment that does not expose its cluster answers that nothing could be read, so those rows are not assessed, never green.</remarks>
    Task<KafkaLayerFacts> ReadKafkaLayerAsync(AssessmentDefinition definition, CancellationToken cancellationToken) =>
        Task.FromResult(NoCluster(definition, EnvironmentName));

    /// <summary>Runs the rollback dual run of the declared legacy and new connectors on this environment.</summary>
    /// <returns>The measurements, or <see langword="null"/> when the environment cannot deploy connectors of its own (the rollback row is then not assessed).</returns>
    Task<DualRunResult?> RunDualAsync(IReadOnlyDictionary<string, string> legacy, IReadOnlyDictionary<string, string> next, CancellationToken cancellationToken) =>
        Task.FromResult<DualRunResult?>(null);

    /// <summary>Returns the facts of an environment that does not expose its cluster: every question unanswered, with the reason.</summary>
    static KafkaLayerFacts NoCluster(AssessmentDefinition definition, string environmentName)
    {
        var reason = $"the {environmentName} environment does not expose its Kafka cluster to the assessment";
        return new KafkaLayerFacts(EnvironmentCapabilities.None)
        {
            RetentionProblems = definition.Topics.ToDictionary(t => t.Name, _ => reason, StringComparer.Ordinal),
            AclProblem = reason,
        };
    }
}
