using SinkIdempotency.IntegrationTests;

// How this project runs in parallel (the rule for a new test class is in docs/testing.md):
// - Each test class owns its environment, IClassFixture<EmbeddedEnvironmentFixture> or a fixture derived from it (its
//   own broker, workers, PostgreSQL, MySQL, ports and temp folders), so it is its own collection and runs beside others.
//   Classes that must share one environment share a [CollectionDefinition] without DisableParallelization.
// - At most maxParallelThreads collections (xunit.runner.json) run at once; a collection runs its tests one at a time,
//   so a fault that kills or adds a worker only ever touches its own environment.
// - The collections with the most test cases start first.
[assembly: TestCollectionOrderer(typeof(MostTestsFirstCollectionOrderer))]
