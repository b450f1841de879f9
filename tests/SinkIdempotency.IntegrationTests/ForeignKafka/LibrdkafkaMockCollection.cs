namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Runs the test classes on librdkafka's mock cluster one at a time, never beside another collection (faults kill the shared workers).</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class LibrdkafkaMockCollection : ICollectionFixture<LibrdkafkaMockFixture>;
