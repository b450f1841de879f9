using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs the crash-window known answers one at a time against one <see cref="WindowSinkFixture"/>; faults kill and add its workers.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class WindowSinkCollection : ICollectionFixture<WindowSinkFixture>;
