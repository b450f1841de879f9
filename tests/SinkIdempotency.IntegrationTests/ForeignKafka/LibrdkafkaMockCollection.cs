namespace SinkIdempotency.IntegrationTests.ForeignKafka;

/// <summary>Runs the test classes on librdkafka's mock cluster one after another against one <see cref="LibrdkafkaMockFixture"/>, beside the other collections (each has an environment of its own).</summary>
[CollectionDefinition]
public sealed class LibrdkafkaMockCollection : ICollectionFixture<LibrdkafkaMockFixture>;
