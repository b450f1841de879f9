using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace SinkIdempotency.Embedded;

/// <content>Prepares the data folder and starts and stops the server process.</content>
public sealed partial class LocalMySql
{
    internal const string InstancePrefix = "my-instance-";
    private const string TemplatePrefix = "my-template-";
    private const string TemplateLayout = "-w1";
    private const int PortAttempts = 3;

    // Small redo log and system tablespace keep the template (copied per instance) small.
    private static readonly string[] StorageArguments = ["--innodb-log-file-size=4M", "--innodb-data-file-path=ibdata1:4M:autoextend"];

    /// <summary>Finds the binaries, removes instances left by killed runs, copies the template data folder and starts the server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts connections and the database exists.</returns>
    /// <exception cref="LocalMySqlException">Thrown when the binaries are missing or the server does not start; the message says what to change.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_server is not null)
            {
                throw new InvalidOperationException("The local MySQL server is already started.");
            }

            var binaries = await MySqlServerBinaries.LocateAsync(_options, Environment.GetEnvironmentVariable, MySqlServerBinaries.InstallFolders, cancellationToken).ConfigureAwait(false);
            Version = binaries.Version;
            var user = await ClusterFiles.ChooseServerUserAsync(
                _options.RootServerUser,
                "mysql",
                configured => new LocalMySqlException(
                    $"The harness runs as root, and the MySQL server must not, so it runs as LocalMySqlOptions.RootServerUser '{configured}'; that user does not exist. " +
                    "Create it (useradd --system --no-create-home mysql), name an existing user, or leave the option unset to use mysql or nobody."),
                cancellationToken).ConfigureAwait(false);
            var root = Path.GetFullPath(_options.WorkingDirectory);
            ClusterFiles.EnsureTraversable(root);
            var now = _options.TimeProvider.GetUtcNow();
            await ClusterFiles.SweepOrphanInstancesAsync(root, InstancePrefix, ClusterFiles.MySqlSocketPrefix, StopOrphanServerAsync, now, cancellationToken).ConfigureAwait(false);
            foreach (var temporary in Directory.GetDirectories(root, TemplatePrefix + "*.tmp-*"))
            {
                ClusterFiles.DeleteIfOwnerDead(temporary);
            }

            var template = await EnsureTemplateAsync(root, binaries, user, cancellationToken).ConfigureAwait(false);
            var (instance, socket) = ClusterFiles.NewInstancePaths(root, InstancePrefix, ClusterFiles.MySqlSocketPrefix);
            InstanceDirectory = instance;
            SocketDirectory = socket;
            await Wrap(() => ClusterFiles.CreateInstanceFromTemplateAsync(template, instance, socket, user, now, cancellationToken)).ConfigureAwait(false);

            for (var attempt = 1; ; attempt++)
            {
                Port = FreePort();
                _connectionString = new MySqlConnectionStringBuilder
                {
                    Server = Host,
                    Port = (uint)Port,
                    UserID = "root",
                    Database = _options.Database,
                    SslMode = MySqlSslMode.None,
                }.ConnectionString;
                try
                {
                    _server = WatchedServer.Start(user, "sinkidempotency-mysql", "TERM", LogPath, ServerArguments(binaries));
                }
                catch (System.ComponentModel.Win32Exception exception)
                {
                    throw new LocalMySqlException($"Could not start the MySQL server through 'sh': {exception.Message}.", exception);
                }

                var outcome = await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
                if (outcome is null)
                {
                    break;
                }

                await StopServerAsync().ConfigureAwait(false);
                if (!outcome.Contains("Address already in use", StringComparison.OrdinalIgnoreCase) || attempt == PortAttempts)
                {
                    throw new LocalMySqlException($"The local MySQL server ({binaries.Server} {binaries.Version}, from {binaries.Source}) in {InstanceDirectory} did not start: {outcome}");
                }
            }

            ServerProcessId = ReadPid(InstanceDirectory) ?? 0;
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

    private static async Task Wrap(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (LocalPostgreSqlException exception)
        {
            // The helpers are shared with the PostgreSQL server; their failure is this server's failure.
            throw new LocalMySqlException(exception.Message, exception);
        }
    }

    private static async Task<string> EnsureTemplateAsync(string root, MySqlServerBinaries binaries, string user, CancellationToken cancellationToken)
    {
        var tag = System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(binaries.Server + "\n" + (UnixProcess.IsRoot ? user : string.Empty)))
            .ToString("x8", CultureInfo.InvariantCulture);
        var stem = TemplatePrefix + string.Concat(binaries.Version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')) + TemplateLayout;
        var template = Path.Combine(root, stem + "-" + tag);
        await Wrap(() => ClusterFiles.BuildOnceAsync(Path.Combine(root, stem), template, user, async folder =>
        {
            var data = folder;
            string[] arguments = binaries.InstallDb is { } installDb
                ? [installDb, "--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve", .. StorageArguments]
                : [binaries.Server, "--no-defaults", "--initialize-insecure", $"--datadir={data}", .. StorageArguments];
            var (fileName, list) = ClusterFiles.AsUser(user, arguments[0], arguments[1..]);
            var (exitCode, output) = await ProcessRunner.RunAsync(fileName, list, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new LocalMySqlException(
                    $"{Path.GetFileName(arguments[0])} ({binaries.Source}) failed with exit code {exitCode} while preparing the template data folder in {data}: {output}" +
                    (UnixProcess.IsRoot ? $" The harness runs as root, so it ran as '{user}'; that user needs to traverse {root}." : string.Empty));
            }
        }, cancellationToken)).ConfigureAwait(false);
        return template;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int? ReadPid(string instance)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(instance, "mysqld.pid")).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task StopOrphanServerAsync(string instance)
    {
        var pid = ReadPid(instance);
        if (pid is null || !UnixProcess.IsAlive(pid.Value) || !UnixProcess.CommandLine(pid.Value).Contains(Path.Combine(instance, "data"), StringComparison.Ordinal))
        {
            return;
        }

        await UnixProcess.SignalAsync(pid.Value, "TERM", CancellationToken.None).ConfigureAwait(false);
        if (!await ClusterFiles.WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(10), _options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
        {
            await UnixProcess.SignalAsync(pid.Value, "KILL", CancellationToken.None).ConfigureAwait(false);
            await ClusterFiles.WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(10), _options.TimeProvider, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private List<string> ServerArguments(MySqlServerBinaries binaries)
    {
        var arguments = new List<string>
        {
            binaries.Server, "--no-defaults", $"--datadir={DataDirectory}", $"--port={Port}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(SocketDirectory, "mysqld.sock")}", $"--pid-file={Path.Combine(InstanceDirectory, "mysqld.pid")}",
            "--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--max-connections=200",
            $"--innodb-flush-log-at-trx-commit={(_options.Fsync ? 1 : 2)}",
        };
        arguments.AddRange(StorageArguments);
        if (!_options.Fsync)
        {
            arguments.Add(binaries.IsMariaDb ? "--innodb-doublewrite=0" : "--skip-innodb-doublewrite");
        }

        return arguments;
    }

    /// <summary>Polls until the server accepts a connection and creates the database; returns null when ready, or the reason it will not become ready.</summary>
    private async Task<string?> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = _options.TimeProvider.GetUtcNow() + _options.StartTimeout;
        var probe = new MySqlConnectionStringBuilder(_connectionString!) { Pooling = false, ConnectionTimeout = 5, Database = string.Empty }.ConnectionString;
        while (true)
        {
            if (_server!.HasExited)
            {
                return $"the server exited with code {_server.ExitCode}. Server log ({LogPath}):{Environment.NewLine}{WatchedServer.Tail(await ReadLogAsync(cancellationToken).ConfigureAwait(false))}";
            }

            try
            {
                var connection = new MySqlConnection(probe);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    var create = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS `{_options.Database}`", connection);
                    await using (create.ConfigureAwait(false))
                    {
                        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return null;
                }
            }
            catch (Exception exception) when (exception is MySqlException or SocketException or TimeoutException or IOException)
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
            var pid = ReadPid(InstanceDirectory);
            await WatchedServer.StopAsync(server).ConfigureAwait(false);
            if (pid is not null && !await ClusterFiles.WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(10), _options.TimeProvider, CancellationToken.None).ConfigureAwait(false))
            {
                await StopOrphanServerAsync(InstanceDirectory).ConfigureAwait(false);
            }
        }
    }

    private async Task StopAndDeleteAsync()
    {
        await StopServerAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(InstanceDirectory))
        {
            return;
        }

        if (_options.LogDirectory is { } logDirectory && File.Exists(LogPath))
        {
            Directory.CreateDirectory(logDirectory);
            var copy = Path.Combine(logDirectory, string.Create(CultureInfo.InvariantCulture, $"mysql-{Port}-{Path.GetFileName(InstanceDirectory)}.log"));
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
