using Xunit;

namespace SinkIdempotency.Xunit;

/// <summary>Runs the test classes marked <c>[Collection&lt;DockerCollection&gt;]</c> one at a time against one shared <see cref="DockerEnvironmentFixture"/>.</summary>
/// <remarks>Faults kill and add the shared Connect containers, so the collection runs alone, never beside another.</remarks>
[CollectionDefinition(DisableParallelization = true)]
public sealed class DockerCollection : ICollectionFixture<DockerEnvironmentFixture>;
