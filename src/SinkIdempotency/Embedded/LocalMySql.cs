using System.Diagnostics;
using MySqlConnector;

namespace SinkIdempotency.Embedded;

/// <summary>Runs a private MariaDB (or MySQL) server on 127.0.0.1 from the machine's server binaries; disposing it stops it and deletes its files.</summary>
/// <remarks>
/// Works like <see cref="LocalPostgreSql"/>: the first start per server binary initialises a cached template data folder
/// (<c>mariadb-install-db</c>, or <c>mysqld --initialize-insecure</c>); every instance copies it into its own folder with an
/// owner marker, gets a free port and a short private socket folder, and runs under a watchdog that stops it when the
/// harness process dies. A start removes instances whose owner process has died. As root, the server runs as
/// <see cref="LocalMySqlOptions.RootServerUser"/> (default <c>mysql</c>, else <c>nobody</c>), never as root.
/// The <c>root</c> account has no password and is reachable only over 127.0.0.1 and the private socket.
/// </remarks>
public sealed partial class LocalMySql : IAsyncDisposable
{
    private readonly LocalMySqlOptions _options;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _server;
    private string? _connectionString;
    private bool _disposed;

    internal LocalMySql(LocalMySqlOptions options) => _options = options;

    /// <summary>Gets the options the server was built with.</summary>
    /// <value>The builder's options.</value>
    public LocalMySqlOptions Options => _options;

    /// <summary>Gets the host the server listens on.</summary>
    /// <value><c>127.0.0.1</c>.</value>
    public string Host => "127.0.0.1";

    /// <summary>Gets the TCP port the server listens on.</summary>
    /// <value>A free port chosen at start; zero before the start.</value>
    public int Port { get; private set; }

    /// <summary>Gets the server's version as it prints it (for example <c>10.11.19-MariaDB</c>).</summary>
    /// <value>Empty before the start.</value>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Gets this instance's folder (data folder, log, pid file, owner marker and a pointer to the socket folder).</summary>
    /// <value>Empty before the start; deleted on dispose.</value>
    public string InstanceDirectory { get; private set; } = string.Empty;

    /// <summary>Gets the server's data folder.</summary>
    /// <value>The <c>data</c> folder inside <see cref="InstanceDirectory"/>.</value>
    public string DataDirectory => Path.Combine(InstanceDirectory, "data");

    /// <summary>Gets the private folder of the server's Unix socket.</summary>
    /// <value>Empty before the start; then <c>/tmp/simy-&lt;pid&gt;-&lt;random&gt;</c>, mode 700, owned by the server's user, deleted on dispose.</value>
    public string SocketDirectory { get; private set; } = string.Empty;

    /// <summary>Gets the server log file.</summary>
    /// <value>The <c>mysqld.log</c> file inside <see cref="InstanceDirectory"/>.</value>
    public string LogPath => Path.Combine(InstanceDirectory, "mysqld.log");

    /// <summary>Gets where the server log was copied on dispose, when a log folder was configured.</summary>
    /// <value><see langword="null"/> until the server is disposed with <see cref="LocalMySqlOptions.LogDirectory"/> set.</value>
    public string? EvidenceLogPath { get; private set; }

    /// <summary>Gets the process id of the server.</summary>
    /// <value>Zero before the start.</value>
    public int ServerProcessId { get; private set; }

    /// <summary>Gets the connection string for <see cref="LocalMySqlOptions.Database"/> as <c>root</c> over TCP.</summary>
    /// <value>Available once started.</value>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public string ConnectionString => _connectionString ?? throw NotStarted();

    /// <summary>Gets a JDBC URL for <see cref="LocalMySqlOptions.Database"/> as <c>root</c>, as Confluent's JDBC sink takes it.</summary>
    /// <param name="scheme"><c>mysql</c> (the default) or <c>mariadb</c>.</param>
    /// <param name="port">The port to put in the URL, for example a fault proxy's; the server's own port by default.</param>
    /// <returns>For example <c>jdbc:mysql://127.0.0.1:40123/sinkidempotency?user=root</c>.</returns>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public string JdbcUrl(string scheme = "mysql", int? port = null)
    {
        _ = ConnectionString;
        return $"jdbc:{scheme}://{Host}:{port ?? Port}/{_options.Database}?user=root";
    }

    /// <summary>Reads the server log as it is now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The log text, or an empty string when there is none yet.</returns>
    public Task<string> ReadLogAsync(CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(InstanceDirectory) ? Task.FromResult(string.Empty) : WatchedServer.ReadLogAsync(LogPath, cancellationToken);

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
            _lifecycle.Release();
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The local MySQL server is not started; call StartAsync (or LocalMySqlBuilder.StartAsync) first.");
}
