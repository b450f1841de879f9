using System.Globalization;
using System.Net.Sockets;
using MySqlConnector;

namespace SinkIdempotency.Embedded;

/// <content>Prepares the data folder and starts and stops the server process.</content>
public sealed partial class LocalMySql
{
    internal const string InstancePrefix = "my-instance-";
    private const string TemplatePrefix = "my-template-";
    private const string TemplateLayout = "-w1";

    // Small redo log and system tablespace keep the template (copied per instance) small.
    private static readonly string[] StorageArguments = ["--innodb-log-file-size=4M", "--innodb-data-file-path=ibdata1:4M:autoextend"];

    private protected override async Task StartServerAsync(CancellationToken cancellationToken)
    {
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

        await RunOnFreePortAsync(
            () => WatchedServer.Start(user, "sinkidempotency-mysql", "TERM", LogPath, ServerArguments(binaries)),
            $"{binaries.Server} {binaries.Version}, from {binaries.Source}",
            cancellationToken).ConfigureAwait(false);
    }

    private protected override string ConnectionStringFor(int port) => new MySqlConnectionStringBuilder
    {
        Server = Host,
        Port = (uint)port,
        UserID = "root",
        Database = _options.Database,
        SslMode = MySqlSslMode.None,
    }.ConnectionString;

    // Ready means the database exists too, so the connection string works from the first use.
    private protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var probe = new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false, ConnectionTimeout = 5, Database = string.Empty }.ConnectionString;
        var connection = new MySqlConnection(probe);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var create = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS `{_options.Database}`", connection);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private protected override bool IsNotReady(Exception exception) => exception is MySqlException or SocketException or TimeoutException or IOException;

    private protected override bool IsPortTaken(string outcome) => outcome.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);

    private protected override int? ReadServerPid() => ReadPid(InstanceDirectory);

    private protected override Exception DidNotStart(string message, Exception? inner = null) => inner is null ? new LocalMySqlException(message) : new LocalMySqlException(message, inner);

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

    private protected override async Task StopOrphanServerAsync(string instance)
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
}
