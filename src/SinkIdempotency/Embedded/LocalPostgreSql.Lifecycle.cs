using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace SinkIdempotency.Embedded;

/// <content>Starts and stops the server process.</content>
public sealed partial class LocalPostgreSql
{
    private protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var binaries = await PostgreSqlBinaries.LocateAsync(
            _options,
            Environment.GetEnvironmentVariable,
            PostgreSqlBinaries.InstallFolders,
            () => PostgreSqlBundle.For(_options, Environment.GetEnvironmentVariable),
            cancellationToken).ConfigureAwait(false);
        Version = binaries.Version;
        BinDirectory = binaries.Directory;
        var files = new ClusterFiles(_options, binaries, await ClusterFiles.ChooseServerUserAsync(_options, cancellationToken).ConfigureAwait(false));
        files.EnsureRoot();
        await files.SweepOrphansAsync(_options.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await files.EnsureTemplateAsync(cancellationToken).ConfigureAwait(false);
        (InstanceDirectory, SocketDirectory) = await files.CreateInstanceAsync(_options.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        await RunOnFreePortAsync(() => StartServerProcess(files, binaries), $"{binaries.Postgres}, from {binaries.Source}", cancellationToken).ConfigureAwait(false);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    private Process StartServerProcess(ClusterFiles files, PostgreSqlBinaries binaries)
    {
        var socketPath = Path.Combine(SocketDirectory, string.Create(CultureInfo.InvariantCulture, $".s.PGSQL.{Port}"));
        if (System.Text.Encoding.UTF8.GetByteCount(socketPath) > ClusterFiles.MaxSocketPathBytes)
        {
            throw new LocalPostgreSqlException(
                LocalPostgreSqlFailure.Other,
                $"The server's Unix socket path {socketPath} is longer than the {ClusterFiles.MaxSocketPathBytes} bytes the OS allows; make /tmp exist and writable, or set TMPDIR to a shorter folder.");
        }

        var port = Port.ToString(CultureInfo.InvariantCulture);
        var serverArguments = new List<string>
        {
            binaries.Postgres, "-D", DataDirectory, "-p", port, "-k", SocketDirectory,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_permissions=0700",
            "-c", "logging_collector=off",
        };
        if (!_options.Fsync)
        {
            serverArguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        foreach (var (name, value) in _options.ServerSettings)
        {
            serverArguments.AddRange(["-c", $"{name}={value}"]);
        }

        return WatchedServer.Start(files.ServerUser, "sinkidempotency-postgres", "INT", LogPath, serverArguments);
    }

    private protected override string ConnectionStringFor(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = port,
        Username = "postgres",
        Database = "postgres",
        IncludeErrorDetail = true,
    }.ConnectionString;

    private protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private protected override bool IsNotReady(Exception exception) => exception is NpgsqlException or SocketException or TimeoutException;

    private protected override bool IsPortTaken(string outcome) => outcome.Contains("could not bind", StringComparison.OrdinalIgnoreCase);

    private protected override int? ReadServerPid() => ClusterFiles.ReadPostmasterPid(DataDirectory);

    // A pid file outlives its server; a reused pid that is not this cluster's postmaster is left alone.
    private protected override bool IsServerProcess(int pid) => UnixProcess.CommandLine(pid).Contains(DataDirectory, StringComparison.Ordinal);

    private protected override Task StopOrphanServerAsync(string instance) =>
        ClusterFiles.StopOrphanServerAsync(instance, _options.TimeProvider, CancellationToken.None);

    private protected override Exception DidNotStart(string message, Exception? inner = null) =>
        new LocalPostgreSqlException(LocalPostgreSqlFailure.ServerDidNotStart, message, inner);

    private protected override async ValueTask ReleaseAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _dataSource = null;
        }
    }
}
