using Npgsql;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Support;

/// <summary>Starts one LocalPostgreSql for a test class; the proxy tests reach it directly and through the fault proxy.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgreSql? _server;

    public int Port => _server?.Port ?? 0;

    /// <summary>Builds an unpooled connection string to the server, or to <paramref name="port"/> (the proxy) on 127.0.0.1.</summary>
    public string ConnectionString(int port) =>
        new NpgsqlConnectionStringBuilder(_server!.ConnectionString) { Host = "127.0.0.1", Port = port, Pooling = false, Timeout = 5 }.ConnectionString;

    // A PostgreSQL that cannot be provided (the binaries are downloaded when the machine has none) is a broken setup: it fails.
    public async ValueTask InitializeAsync() => _server = await new LocalPostgreSqlBuilder().StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
