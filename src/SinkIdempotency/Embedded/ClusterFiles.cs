using System.Globalization;

namespace SinkIdempotency.Embedded;

/// <summary>
/// Manages the working folder (the cached template cluster per binaries, instance folders, clusters left by killed runs) and the
/// short private socket folders beside it.
/// </summary>
/// <remarks>
/// A Unix socket's path must fit in 107 bytes (103 on macOS), and <c>$TMPDIR/sinkidempotency/pg-instance-…/socket/.s.PGSQL.NNNNN</c>
/// does not once the temp folder is longer than about 19 characters (CI runners, macOS). So each instance's socket folder is
/// <c>/tmp/sipg-&lt;pid&gt;-&lt;random&gt;</c> whatever the temp folder: created with <c>mkdir -m 700</c> (which fails rather than reuse
/// a folder someone else made), owned by the server's user, marked with its owner like the instance, deleted with the instance,
/// and swept when its owner is gone.
/// </remarks>
internal sealed class ClusterFiles(LocalPostgreSqlOptions options, PostgreSqlBinaries binaries, string serverUser)
{
    public const string InstancePrefix = "pg-instance-";
    public const string SocketPrefix = "sipg-";
    private const string TemplatePrefix = "pg-template-";
    private const string TemplateLayout = "-w1";
    private const string SocketPointer = "socket-directory";
    private static readonly TimeSpan UnmarkedGrace = TimeSpan.FromMinutes(10);

    // Asking whether a user exists costs a process start; the answer does not change while we run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> KnownUsers = new(StringComparer.Ordinal);

    public string Root { get; } = Path.GetFullPath(options.WorkingDirectory);

    /// <summary>Gets the folder the socket folders are made in: <c>/tmp</c>, short on every Unix, else the temp folder.</summary>
    public static string SocketRoot => Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();

    /// <summary>Gets the longest socket path the OS accepts, in bytes: <c>sun_path</c> less its terminating zero.</summary>
    public static int MaxSocketPathBytes => OperatingSystem.IsMacOS() ? 103 : 107;

    // The layout suffix changes whenever the initdb arguments change, so an old template is never reused by mistake; the tag
    // keeps templates of different builds of one version (the machine's, a downloaded one) and of different server users apart.
    public string TemplateDirectory => Path.Combine(Root, TemplatePrefix + binaries.Version + TemplateLayout + "-" + TemplateTag);

    public bool RunAsOtherUser => UnixProcess.IsRoot;

    public string ServerUser => serverUser;

    private string TemplateTag =>
        System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(binaries.Directory + "\n" + (RunAsOtherUser ? serverUser : string.Empty)))
            .ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Wraps a command so it runs as the server user when the harness is root.</summary>
    public (string FileName, List<string> Arguments) AsServerUser(string fileName, params string[] arguments) =>
        RunAsOtherUser
            ? ("runuser", ["-u", serverUser, "--", fileName, .. arguments])
            : (fileName, [.. arguments]);

    /// <summary>Chooses the OS user the server runs as when the harness is root: the configured one, else <c>postgres</c> when it exists, else <c>nobody</c>.</summary>
    /// <exception cref="LocalPostgreSqlException">The configured user does not exist.</exception>
    public static async Task<string> ChooseServerUserAsync(LocalPostgreSqlOptions options, CancellationToken cancellationToken)
    {
        if (!UnixProcess.IsRoot)
        {
            return Environment.UserName;
        }

        if (options.RootServerUser is { } configured)
        {
            return await UserExistsAsync(configured, cancellationToken).ConfigureAwait(false)
                ? configured
                : throw new LocalPostgreSqlException(
                    LocalPostgreSqlFailure.ServerUser,
                    $"The harness runs as root, and PostgreSQL refuses to, so the server runs as LocalPostgreSqlOptions.RootServerUser '{configured}'; that user does not exist. " +
                    "Create it (useradd --system --no-create-home postgres), name an existing user, or leave the option unset to use postgres or nobody.");
        }

        return await UserExistsAsync("postgres", cancellationToken).ConfigureAwait(false) ? "postgres" : "nobody";
    }

    public void EnsureRoot()
    {
        Directory.CreateDirectory(Root);
        if (RunAsOtherUser && !OperatingSystem.IsWindows())
        {
            // The server user must traverse the working folder to reach its data folder.
            var mode = File.GetUnixFileMode(Root);
            File.SetUnixFileMode(Root, mode | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        }
    }

    /// <summary>Runs initdb once per PostgreSQL version into a temporary folder, then renames it into place atomically.</summary>
    /// <remarks>1 MB WAL segments instead of 16 MB keep the template small, so copying it per instance is quick.</remarks>
    public async Task EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(TemplateDirectory))
        {
            return;
        }

        var temporary = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{TemplatePrefix}{binaries.Version}{TemplateLayout}.tmp-{UnixProcess.CurrentPid}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(temporary);
        try
        {
            await ChownToServerUserAsync(temporary, cancellationToken).ConfigureAwait(false);
            var (fileName, arguments) = AsServerUser(
                binaries.InitDb, "-D", temporary, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--wal-segsize=1");
            var (exitCode, output) = await ProcessRunner.RunAsync(fileName, arguments, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new LocalPostgreSqlException(
                    LocalPostgreSqlFailure.InitDbFailed,
                    $"initdb ({binaries.InitDb}, from {binaries.Source}) failed with exit code {exitCode} while preparing the template cluster in {temporary}: {output}" +
                    (RunAsOtherUser ? $" The harness runs as root, so initdb ran as '{serverUser}'; that user needs to read {binaries.Directory} and traverse {Root}." : string.Empty));
            }

            try
            {
                Directory.Move(temporary, TemplateDirectory);
            }
            catch (IOException) when (Directory.Exists(TemplateDirectory))
            {
                // Another process finished its template first; theirs is as good as ours.
            }
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Creates an instance folder with an owner marker and a copy of the template, and a short private socket folder.</summary>
    public async Task<(string Instance, string Socket)> CreateInstanceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{InstancePrefix}{UnixProcess.CurrentPid}-{Guid.NewGuid():N}"));
        var socket = Path.Combine(SocketRoot, string.Create(CultureInfo.InvariantCulture, $"{SocketPrefix}{UnixProcess.CurrentPid}-{Guid.NewGuid().ToString("N")[..10]}"));
        Directory.CreateDirectory(instance);
        OwnerMarker.ForCurrentProcess(now).Write(instance);
        File.WriteAllText(Path.Combine(instance, SocketPointer), socket);

        // One helper process: cp -a keeps the template's owner (the server user), so root only hands over the two folders.
        var script = "cp -a \"$0\" \"$1/data\" && chmod 700 \"$1/data\" && mkdir -m 700 \"$3\"" +
            (RunAsOtherUser ? " && chown \"$2:\" \"$1\" \"$3\"" : string.Empty);
        await ProcessRunner.RunCheckedAsync("sh", ["-c", script, TemplateDirectory, instance, serverUser, socket], "copy the template cluster and make its socket folder", cancellationToken)
            .ConfigureAwait(false);
        OwnerMarker.ForCurrentProcess(now).Write(socket);
        return (instance, socket);
    }

    /// <summary>Deletes an instance folder and the socket folder it points to.</summary>
    public static void DeleteInstance(string instance)
    {
        if (ReadSocketPointer(instance) is { } socket)
        {
            DeleteQuietly(socket);
        }

        DeleteQuietly(instance);
    }

    /// <summary>Stops and deletes clusters whose owner process is gone; never touches a cluster whose owner is alive.</summary>
    public async Task<int> SweepOrphansAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var instance in Directory.GetDirectories(Root, InstancePrefix + "*"))
        {
            var marker = OwnerMarker.TryRead(instance);
            if (marker is null ? now - Directory.GetCreationTimeUtc(instance) < UnmarkedGrace : marker.OwnerIsAlive)
            {
                continue;
            }

            await StopOrphanServerAsync(instance, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            DeleteInstance(instance);
            removed++;
        }

        // Socket folders whose instance lives in another working folder, or whose owner died before it pointed to them.
        foreach (var socket in Directory.GetDirectories(SocketRoot, SocketPrefix + "*"))
        {
            var marker = OwnerMarker.TryRead(socket);
            if (marker is null ? now - Directory.GetCreationTimeUtc(socket) < UnmarkedGrace : marker.OwnerIsAlive)
            {
                continue;
            }

            DeleteQuietly(socket);
        }

        foreach (var temporary in Directory.GetDirectories(Root, TemplatePrefix + "*.tmp-*"))
        {
            var pidText = temporary[(temporary.LastIndexOf(".tmp-", StringComparison.Ordinal) + 5)..].Split('-')[0];
            if (int.TryParse(pidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && !UnixProcess.IsAlive(pid))
            {
                DeleteQuietly(temporary);
            }
        }

        return removed;
    }

    public static async Task StopOrphanServerAsync(string instance, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(instance, "data");
        var pid = ReadPostmasterPid(dataDirectory);
        if (pid is null || !UnixProcess.IsAlive(pid.Value) || !UnixProcess.CommandLine(pid.Value).Contains(dataDirectory, StringComparison.Ordinal))
        {
            return;
        }

        // SIGQUIT is PostgreSQL's immediate shutdown: it releases shared memory, which SIGKILL would leak.
        await UnixProcess.SignalAsync(pid.Value, "QUIT", cancellationToken).ConfigureAwait(false);
        if (await WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(10), timeProvider, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await UnixProcess.SignalAsync(pid.Value, "KILL", cancellationToken).ConfigureAwait(false);
        await WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(10), timeProvider, cancellationToken).ConfigureAwait(false);
    }

    public static int? ReadPostmasterPid(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + timeout;
        while (UnixProcess.IsAlive(pid))
        {
            if (timeProvider.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public static void DeleteQuietly(string directory)
    {
        // Sweepers in other test processes may delete the same folder at the same time: each then trips over entries the
        // other removed first (DirectoryNotFoundException, "directory not empty"). Trying again finishes the job instead
        // of leaving a half-deleted folder behind; whatever still resists is retried by the next sweep.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    private static string? ReadSocketPointer(string instance)
    {
        try
        {
            var socket = File.ReadAllText(Path.Combine(instance, SocketPointer)).Trim();

            // Only a socket folder of ours is ever deleted through the pointer.
            return Path.GetFileName(socket).StartsWith(SocketPrefix, StringComparison.Ordinal) && Path.IsPathFullyQualified(socket) ? socket : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<bool> UserExistsAsync(string user, CancellationToken cancellationToken)
    {
        if (KnownUsers.TryGetValue(user, out var exists))
        {
            return exists;
        }

        var (exitCode, _) = await ProcessRunner.RunAsync("id", ["-u", user], cancellationToken).ConfigureAwait(false);
        return KnownUsers[user] = exitCode == 0;
    }

    private async Task ChownToServerUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (RunAsOtherUser)
        {
            await ProcessRunner.RunCheckedAsync("chown", [$"{serverUser}:", directory], $"hand {directory} to the user '{serverUser}'", cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
