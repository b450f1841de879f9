using Xunit;

namespace SinkIdempotency.Xunit;

/// <summary>Runs the test classes marked <c>[Collection&lt;ExternalCollection&gt;]</c> one at a time against one shared <see cref="ExternalEnvironmentFixture"/>.</summary>
/// <remarks>Scenarios on one cluster share its Connect workers, so the collection runs alone, never beside another.</remarks>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ExternalCollection : ICollectionFixture<ExternalEnvironmentFixture>;
