namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs the test classes that need the test plugin's sinks one at a time against one shared <see cref="TestPluginFixture"/>.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class TestPluginCollection : ICollectionFixture<TestPluginFixture>;
