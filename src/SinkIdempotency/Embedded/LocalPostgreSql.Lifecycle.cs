using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SinkIdempotency.Embedded;

/// <content>Starts and stops the server process.</content>
public sealed partial class LocalPostgreSql
{
    private const int PortAttempts = 3;

    /// <summary>Finds the binaries, removes clusters left by killed runs, copies the template cluster and starts the server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    /// <exception cref="LocalPostgreSqlException">Thrown when the binaries are missing or the server does not start; the message says what to change.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is not null)
            {
                throw new InvalidOperationException("The local PostgreSQL server is already started.");
            }

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

            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                var socketPath = Path.Combine(SocketDirectory, string.Create(CultureInfo.InvariantCulture, $".s.PGSQL.{Port}"));
                if (System.Text.Encoding.UTF8.GetByteCount(socketPath) > ClusterFiles.MaxSocketPathBytes)
                {
                    throw new LocalPostgreSqlException(
                        LocalPostgreSqlFailure.Other,
                        $"The server's Unix socket path {socketPath} is longer than the {ClusterFiles.MaxSocketPathBytes} bytes the OS allows; make /tmp exist and writable, or set TMPDIR to a shorter folder.");
                }

                _server = StartServerProcess(files, binaries);
                var outcome = await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                if (outcome is null)
                {
                    break;
                }

                await StopServerAsync().ConfigureAwait(false);
                if (!outcome.Contains("could not bind", StringComparison.OrdinalIgnoreCase) || attempt == PortAttempts)
                {
                    throw new LocalPostgreSqlException(
                        LocalPostgreSqlFailure.ServerDidNotStart,
                        $"The local PostgreSQL server ({binaries.Postgres}, from {binaries.Source}) in {InstanceDirectory} did not start: {outcome}");
                }
            }

            ServerProcessId = ClusterFiles.ReadPostmasterPid(DataDirectory) ?? 0;
            _dataSource = NpgsqlDataSource.Create(_connectionString!);
        }
        catch
        {
            await StopAndDeleteAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Process StartServerProcess(ClusterFiles files, PostgreSqlBinaries binaries)
    {
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

        Process process;
        try
        {
            process = WatchedServer.Start(files.ServerUser, "sinkidempotency-postgres", "INT", LogPath, serverArguments);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new LocalPostgreSqlException(LocalPostgreSqlFailure.ServerDidNotStart, $"Could not start the PostgreSQL server through 'sh': {exception.Message}.", exception);
        }

        _connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = "postgres",
            Database = "postgres",
            IncludeErrorDetail = true,
        }.ConnectionString;
        return process;
    }

    /// <summary>Polls until the server accepts a connection; returns null when ready, or the reason it will not become ready.</summary>
    private async Task<string?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = _options.TimeProvider.GetUtcNow() + _options.StartTimeout;
        var probe = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        while (true)
        {
            if (_server!.HasExited)
            {
                return $"the server exited with code {_server.ExitCode}. Server log ({LogPath}):{Environment.NewLine}{WatchedServer.Tail(await ReadLogAsync(cancellationToken).ConfigureAwait(false))}";
            }

            try
            {
                var connection = new NpgsqlConnection(probe);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException or TimeoutException)
            {
                if (_options.TimeProvider.GetUtcNow() >= deadline)
                {
                    return $"it did not accept connections within {_options.StartTimeout.TotalSeconds:0} s ({exception.Message}); raise the start timeout if the machine is busy. Server log ({LogPath}):{Environment.NewLine}{WatchedServer.Tail(await ReadLogAsync(cancellationToken).ConfigureAwait(false))}";
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopServerAsync()
    {
        var server = _server;
        _server = null;
        if (server is null)
        {
            return;
        }

        using (server)
        {
            var postmaster = ClusterFiles.ReadPostmasterPid(DataDirectory);
            await WatchedServer.StopAsync(server).ConfigureAwait(false);
            if (postmaster is { } pid && UnixProcess.CommandLine(pid).Contains(DataDirectory, StringComparison.Ordinal))
            {
                if (!await ClusterFiles.WaitForExitAsync(pid, TimeSpan.FromSeconds(10), _options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
                {
                    await ClusterFiles.StopOrphanServerAsync(InstanceDirectory, _options.TimeProvider, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task StopAndDeleteAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _dataSource = null;
        }

        await StopServerAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(InstanceDirectory))
        {
            return;
        }

        if (_options.LogDirectory is { } logDirectory && File.Exists(LogPath))
        {
            Directory.CreateDirectory(logDirectory);
            var copy = Path.Combine(logDirectory, string.Create(CultureInfo.InvariantCulture, $"postgres-{Port}-{Path.GetFileName(InstanceDirectory)}.log"));
            File.Copy(LogPath, copy, overwrite: true);
            EvidenceLogPath = copy;
        }

        ClusterFiles.DeleteInstance(InstanceDirectory);
        if (!string.IsNullOrEmpty(SocketDirectory))
        {
            ClusterFiles.DeleteQuietly(SocketDirectory);
        }
    }
}
