using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Embedded;

/// <summary>Shares one local PostgreSQL server among the tests of a class.</summary>
public sealed class LocalPostgreSqlFixture : IAsyncLifetime
{
    private LocalPostgreSql? _server;

    public LocalPostgreSql Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync() => _server = await new LocalPostgreSqlBuilder().StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
