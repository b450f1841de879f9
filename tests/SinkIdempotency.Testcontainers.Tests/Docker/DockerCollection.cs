namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Shares one Docker environment across the JDBC known-answer tests; scenarios run one at a time because faults kill shared workers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection : ICollectionFixture<DockerScenarioFixture>
{
    public const string Name = "docker";
}
