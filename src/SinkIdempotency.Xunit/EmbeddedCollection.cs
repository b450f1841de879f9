using Xunit;

namespace SinkIdempotency.Xunit;

/// <summary>Runs the test classes marked <c>[Collection&lt;EmbeddedCollection&gt;]</c> one at a time against one shared <see cref="EmbeddedEnvironmentFixture"/>.</summary>
/// <remarks>Faults kill and add the shared workers, so the collection runs alone, never beside another.</remarks>
[CollectionDefinition(DisableParallelization = true)]
public sealed class EmbeddedCollection : ICollectionFixture<EmbeddedEnvironmentFixture>;
