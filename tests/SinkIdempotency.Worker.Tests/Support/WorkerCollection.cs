namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>Shares one broker and one PostgreSQL between the worker integration test classes.</summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerEnvironment>
{
    public const string Name = "worker-environment";
}
