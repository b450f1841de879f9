namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Runs the test classes on a second, separately started broker one at a time, never beside another collection.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class SecondBrokerCollection : ICollectionFixture<SecondBrokerFixture>;
