namespace SinkIdempotency.IntegrationTests;

/// <summary>Shares one embedded environment across the known-answer tests; scenarios run one at a time because faults kill shared workers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmbeddedCollection : ICollectionFixture<EmbeddedScenarioFixture>
{
    public const string Name = "embedded";
}
