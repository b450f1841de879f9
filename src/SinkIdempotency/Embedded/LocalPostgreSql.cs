using System.Diagnostics;
using Npgsql;

namespace SinkIdempotency.Embedded;

/// <summary>Runs a private PostgreSQL server on 127.0.0.1 from the machine's server binaries (or ones downloaded once); disposing it stops it and deletes its files.</summary>
/// <remarks>
/// The first start per PostgreSQL version runs <c>initdb</c> into a cached template; every instance copies the template,
/// so later starts take a fraction of a second. Each instance gets its own folder, port and short socket folder, and an owner
/// marker: a start removes clusters whose owner process has died. The server also stops by itself when the harness
/// process dies, because a small shell watchdog stops it when its standard input (a pipe from the harness) closes.
/// </remarks>
public sealed partial class LocalPostgreSql : IAsyncDisposable
{
    private readonly LocalPostgreSqlOptions _options;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _server;
    private NpgsqlDataSource? _dataSource;
    private string? _connectionString;
    private bool _disposed;

    internal LocalPostgreSql(LocalPostgreSqlOptions options) => _options = options;

    /// <summary>Gets the options the server was built with.</summary>
    /// <value>The builder's options.</value>
    public LocalPostgreSqlOptions Options => _options;

    /// <summary>Gets the host the server listens on.</summary>
    /// <value><c>127.0.0.1</c>.</value>
    public string Host => "127.0.0.1";

    /// <summary>Gets the TCP port the server listens on.</summary>
    /// <value>A free port chosen at start; zero before the start.</value>
    public int Port { get; private set; }

    /// <summary>Gets the PostgreSQL version of the binaries (for example <c>15.14</c>).</summary>
    /// <value>Empty before the start.</value>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Gets the folder of the server binaries in use.</summary>
    /// <value>Empty before the start.</value>
    public string BinDirectory { get; private set; } = string.Empty;

    /// <summary>Gets this instance's folder (data folder, log, owner marker and a pointer to the socket folder).</summary>
    /// <value>Empty before the start; deleted on dispose.</value>
    public string InstanceDirectory { get; private set; } = string.Empty;

    /// <summary>Gets the cluster's data folder.</summary>
    /// <value>The <c>data</c> folder inside <see cref="InstanceDirectory"/>.</value>
    public string DataDirectory => Path.Combine(InstanceDirectory, "data");

    /// <summary>Gets the private folder of the server's Unix socket.</summary>
    /// <value>
    /// Empty before the start; then <c>/tmp/sipg-&lt;pid&gt;-&lt;random&gt;</c>, mode 700, owned by the server's user, deleted on dispose.
    /// It is kept short whatever the temp folder, because a socket path may not pass 107 bytes.
    /// </value>
    public string SocketDirectory { get; private set; } = string.Empty;

    /// <summary>Gets the server log file.</summary>
    /// <value>The <c>postgres.log</c> file inside <see cref="InstanceDirectory"/>.</value>
    public string LogPath => Path.Combine(InstanceDirectory, "postgres.log");

    /// <summary>Gets where the server log was copied on dispose, when a log folder was configured.</summary>
    /// <value><see langword="null"/> until the server is disposed with <see cref="LocalPostgreSqlOptions.LogDirectory"/> set.</value>
    public string? EvidenceLogPath { get; private set; }

    /// <summary>Gets the process id of the postmaster.</summary>
    /// <value>Zero before the start.</value>
    public int ServerProcessId { get; private set; }

    /// <summary>Gets the connection string for the <c>postgres</c> database as the <c>postgres</c> superuser (trust authentication).</summary>
    /// <value>Available once started.</value>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public string ConnectionString => _connectionString ?? throw NotStarted();

    /// <summary>Gets a pooled Npgsql data source for <see cref="ConnectionString"/>; the server disposes it.</summary>
    /// <value>Available once started.</value>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public NpgsqlDataSource DataSource => _dataSource ?? throw NotStarted();

    /// <summary>Reads the server log as it is now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The log text, or an empty string when there is none yet.</returns>
    public async Task<string> ReadLogAsync(CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(InstanceDirectory))
        {
            return string.Empty;
        }

        return await WatchedServer.ReadLogAsync(LogPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server, copies its log to the evidence folder if configured, and deletes the instance folder.</summary>
    /// <returns>A task that completes when the server process is gone and its files are deleted.</returns>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopAndDeleteAsync().ConfigureAwait(false);
        }
        finally
        {
            // The semaphore is not disposed: it never allocates a wait handle, and a second DisposeAsync must still find it.
            _lifecycle.Release();
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The local PostgreSQL server is not started; call StartAsync (or LocalPostgreSqlBuilder.StartAsync) first.");
}
