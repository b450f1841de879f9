using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Embedded;

/// <summary>Shares one local MariaDB/MySQL server among the tests of a class.</summary>
public sealed class LocalMySqlFixture : IAsyncLifetime
{
    private LocalMySql? _server;

    public LocalMySql Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async ValueTask InitializeAsync() => _server = await new LocalMySqlBuilder().StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
