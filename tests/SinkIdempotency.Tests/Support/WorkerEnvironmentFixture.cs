using SinkIdempotency.Environments;

namespace SinkIdempotency.Tests.Support;

/// <summary>One embedded environment with one real worker, shared by a test class.</summary>
public sealed class WorkerEnvironmentFixture : IAsyncLifetime
{
    public EmbeddedEnvironment Environment { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Environment = await new EmbeddedEnvironmentBuilder().WithOffsetFlushInterval(TimeSpan.FromSeconds(1)).StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Environment is not null)
        {
            await Environment.DisposeAsync();
        }
    }
}
