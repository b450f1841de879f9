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

    /// <summary>The name prefix of a local MySQL/MariaDB server's socket folders (see <see cref="LocalMySql"/>).</summary>
    public const string MySqlSocketPrefix = "simy-";
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
    public (string FileName, List<string> Arguments) AsServerUser(string fileName, params string[] arguments) => AsUser(serverUser, fileName, arguments);

    /// <summary>Chooses the OS user the server runs as when the harness is root: the configured one, else <c>postgres</c> when it exists, else <c>nobody</c>.</summary>
    /// <exception cref="LocalPostgreSqlException">The configured user does not exist.</exception>
    public static Task<string> ChooseServerUserAsync(LocalPostgreSqlOptions options, CancellationToken cancellationToken) =>
        ChooseServerUserAsync(
            options.RootServerUser,
            "postgres",
            configured => new LocalPostgreSqlException(
                LocalPostgreSqlFailure.ServerUser,
                $"The harness runs as root, and PostgreSQL refuses to, so the server runs as LocalPostgreSqlOptions.RootServerUser '{configured}'; that user does not exist. " +
                "Create it (useradd --system --no-create-home postgres), name an existing user, or leave the option unset to use postgres or nobody."),
            cancellationToken);

    /// <summary>Chooses the OS user a server runs as: the harness's own user unless it is root; as root the configured user, else the package's user when it exists, else <c>nobody</c>.</summary>
    /// <param name="configured">The user the options name, or <see langword="null"/>.</param>
    /// <param name="packageUser">The user the server's package creates (<c>postgres</c>, <c>mysql</c>).</param>
    /// <param name="missing">Makes the error for a configured user that does not exist.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    public static async Task<string> ChooseServerUserAsync(string? configured, string packageUser, Func<string, Exception> missing, CancellationToken cancellationToken)
    {
        if (!UnixProcess.IsRoot)
        {
            return Environment.UserName;
        }

        if (configured is not null)
        {
            return await UserExistsAsync(configured, cancellationToken).ConfigureAwait(false) ? configured : throw missing(configured);
        }

        return await UserExistsAsync(packageUser, cancellationToken).ConfigureAwait(false) ? packageUser : "nobody";
    }

    /// <summary>Wraps a command so it runs as <paramref name="serverUser"/> when the harness is root.</summary>
    public static (string FileName, List<string> Arguments) AsUser(string serverUser, string fileName, params string[] arguments) =>
        UnixProcess.IsRoot
            ? ("runuser", ["-u", serverUser, "--", fileName, .. arguments])
            : (fileName, [.. arguments]);

    /// <summary>Makes a working folder traversable by the server user when the harness is root.</summary>
    public static void EnsureTraversable(string root)
    {
        Directory.CreateDirectory(root);
        if (UnixProcess.IsRoot && !OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(root);
            File.SetUnixFileMode(root, mode | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        }
    }

    // The server user must traverse the working folder to reach its data folder.
    public void EnsureRoot() => EnsureTraversable(Root);

    /// <summary>Runs initdb once per PostgreSQL version into a temporary folder, then renames it into place atomically.</summary>
    /// <remarks>1 MB WAL segments instead of 16 MB keep the template small, so copying it per instance is quick.</remarks>
    public async Task EnsureTemplateAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(TemplateDirectory))
        {
            return;
        }

        var temporary = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{TemplatePrefix}{binaries.Version}{TemplateLayout}"));
        await BuildOnceAsync(temporary, TemplateDirectory, serverUser, async folder =>
        {
            var (fileName, arguments) = AsServerUser(
                binaries.InitDb, "-D", folder, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--wal-segsize=1");
            var (exitCode, output) = await ProcessRunner.RunAsync(fileName, arguments, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new LocalPostgreSqlException(
                    LocalPostgreSqlFailure.InitDbFailed,
                    $"initdb ({binaries.InitDb}, from {binaries.Source}) failed with exit code {exitCode} while preparing the template cluster in {folder}: {output}" +
                    (RunAsOtherUser ? $" The harness runs as root, so initdb ran as '{serverUser}'; that user needs to read {binaries.Directory} and traverse {Root}." : string.Empty));
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds a template folder once: <paramref name="build"/> fills a temporary folder (owned by the server user), which is then renamed into place atomically.</summary>
    /// <param name="temporaryStem">The temporary folder's path without its <c>.tmp-&lt;pid&gt;-&lt;guid&gt;</c> suffix, so a sweep can tell a dead builder's leftovers.</param>
    /// <param name="template">The template folder; nothing is done when it exists.</param>
    /// <param name="serverUser">The user the temporary folder is handed to when the harness is root.</param>
    /// <param name="build">Fills the temporary folder; an exception leaves nothing behind.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public static async Task BuildOnceAsync(string temporaryStem, string template, string serverUser, Func<string, Task> build, CancellationToken cancellationToken)
    {
        if (Directory.Exists(template))
        {
            return;
        }

        var temporary = string.Create(CultureInfo.InvariantCulture, $"{temporaryStem}.tmp-{UnixProcess.CurrentPid}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            if (UnixProcess.IsRoot)
            {
                await ProcessRunner.RunCheckedAsync("chown", [$"{serverUser}:", temporary], $"hand {temporary} to the user '{serverUser}'", cancellationToken)
                    .ConfigureAwait(false);
            }

            await build(temporary).ConfigureAwait(false);
            try
            {
                Directory.Move(temporary, template);
            }
            catch (IOException) when (Directory.Exists(template))
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
        var (instance, socket) = NewInstancePaths(Root, InstancePrefix, SocketPrefix);
        await CreateInstanceFromTemplateAsync(TemplateDirectory, instance, socket, serverUser, now, cancellationToken).ConfigureAwait(false);
        return (instance, socket);
    }

    /// <summary>Names a new instance folder under <paramref name="root"/> and a new short socket folder, both carrying this process's id.</summary>
    public static (string Instance, string Socket) NewInstancePaths(string root, string instancePrefix, string socketPrefix) =>
        (Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{instancePrefix}{UnixProcess.CurrentPid}-{Guid.NewGuid():N}")),
         Path.Combine(SocketRoot, string.Create(CultureInfo.InvariantCulture, $"{socketPrefix}{UnixProcess.CurrentPid}-{Guid.NewGuid().ToString("N")[..10]}")));

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
        var removed = await SweepOrphanInstancesAsync(
            Root, InstancePrefix, SocketPrefix, instance => StopOrphanServerAsync(instance, options.TimeProvider, cancellationToken), now, cancellationToken).ConfigureAwait(false);
        if (!Directory.Exists(Root))
        {
            return removed;
        }

        foreach (var temporary in Directory.GetDirectories(Root, TemplatePrefix + "*.tmp-*"))
        {
            DeleteIfOwnerDead(temporary);
        }

        return removed;
    }

    /// <summary>Stops and deletes instance folders (and socket folders) under <paramref name="root"/> whose owner process is gone.</summary>
    /// <param name="root">The working folder.</param>
    /// <param name="instancePrefix">The name prefix of this server kind's instance folders.</param>
    /// <param name="socketPrefix">The name prefix of this server kind's socket folders under <see cref="SocketRoot"/>.</param>
    /// <param name="stopServer">Stops the server an orphan instance folder may still run.</param>
    /// <param name="now">The current time; unmarked folders younger than a grace period are left alone.</param>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The number of instance folders removed.</returns>
    public static async Task<int> SweepOrphanInstancesAsync(
        string root, string instancePrefix, string socketPrefix, Func<string, Task> stopServer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var instance in Directory.GetDirectories(root, instancePrefix + "*"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var marker = OwnerMarker.TryRead(instance);
            if (marker is null ? now - Directory.GetCreationTimeUtc(instance) < UnmarkedGrace : marker.OwnerIsAlive)
            {
                continue;
            }

            await stopServer(instance).ConfigureAwait(false);
            DeleteInstance(instance);
            removed++;
        }

        // Socket folders whose instance lives in another working folder, or whose owner died before it pointed to them.
        foreach (var socket in Directory.GetDirectories(SocketRoot, socketPrefix + "*"))
        {
            var marker = OwnerMarker.TryRead(socket);
            if (marker is null ? now - Directory.GetCreationTimeUtc(socket) < UnmarkedGrace : marker.OwnerIsAlive)
            {
                continue;
            }

            DeleteQuietly(socket);
        }

        return removed;
    }

    /// <summary>Deletes a temporary folder named <c>….tmp-&lt;pid&gt;-…</c> when the process that made it is gone.</summary>
    public static void DeleteIfOwnerDead(string temporary)
    {
        var pidText = temporary[(temporary.LastIndexOf(".tmp-", StringComparison.Ordinal) + 5)..].Split('-')[0];
        if (int.TryParse(pidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && !UnixProcess.IsAlive(pid))
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>Creates an instance folder with an owner marker, a copy of a template data folder and a short private socket folder, handing both to the server user.</summary>
    /// <param name="template">The template data folder, owned by the server user.</param>
    /// <param name="instance">The instance folder to create.</param>
    /// <param name="socket">The socket folder to create (it must not exist).</param>
    /// <param name="serverUser">The server user, used when the harness is root.</param>
    /// <param name="now">The time for the owner markers.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task CreateInstanceFromTemplateAsync(string template, string instance, string socket, string serverUser, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(instance);
        OwnerMarker.ForCurrentProcess(now).Write(instance);
        File.WriteAllText(Path.Combine(instance, SocketPointer), socket);

        // One helper process: cp -a keeps the template's owner (the server user), so root only hands over the two folders.
        var script = "cp -a \"$0\" \"$1/data\" && chmod 700 \"$1/data\" && mkdir -m 700 \"$3\"" +
            (UnixProcess.IsRoot ? " && chown \"$2:\" \"$1\" \"$3\"" : string.Empty);
        await ProcessRunner.RunCheckedAsync("sh", ["-c", script, template, instance, serverUser, socket], "copy the template data folder and make its socket folder", cancellationToken)
            .ConfigureAwait(false);
        OwnerMarker.ForCurrentProcess(now).Write(socket);
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
            var name = Path.GetFileName(socket);
            return (name.StartsWith(SocketPrefix, StringComparison.Ordinal) || name.StartsWith(MySqlSocketPrefix, StringComparison.Ordinal)) && Path.IsPathFullyQualified(socket) ? socket : null;
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
}
