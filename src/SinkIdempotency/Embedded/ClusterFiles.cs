using System.Globalization;

namespace SinkIdempotency.Embedded;

/// <summary>Manages the working folder: the cached template cluster per version, instance folders, and clusters left by killed runs.</summary>
internal sealed class ClusterFiles(LocalPostgreSqlOptions options, PostgreSqlBinaries binaries)
{
    public const string InstancePrefix = "pg-instance-";
    private const string TemplatePrefix = "pg-template-";
    private const string TemplateLayout = "-w1";
    private static readonly TimeSpan UnmarkedGrace = TimeSpan.FromMinutes(10);

    public string Root { get; } = Path.GetFullPath(options.WorkingDirectory);

    // The layout suffix changes whenever the initdb arguments change, so an old template is never reused by mistake.
    public string TemplateDirectory => Path.Combine(Root, TemplatePrefix + binaries.Version + TemplateLayout);

    public bool RunAsOtherUser => UnixProcess.IsRoot;

    /// <summary>Wraps a command so it runs as the server user when the harness is root.</summary>
    public (string FileName, List<string> Arguments) AsServerUser(string fileName, params string[] arguments) =>
        RunAsOtherUser
            ? ("runuser", ["-u", options.RootServerUser, "--", fileName, .. arguments])
            : (fileName, [.. arguments]);

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
                    $"initdb failed with exit code {exitCode} while preparing the template cluster in {temporary}: {output}" +
                    (RunAsOtherUser ? $" The harness runs as root, so initdb ran as '{options.RootServerUser}'; that user needs to traverse {Root}." : string.Empty));
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

    /// <summary>Creates an instance folder with an owner marker, a copy of the template, and a private socket folder.</summary>
    public async Task<string> CreateInstanceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"{InstancePrefix}{UnixProcess.CurrentPid}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(instance);
        OwnerMarker.ForCurrentProcess(now).Write(instance);

        // One helper process: cp -a keeps the template's owner (the server user), so root only hands over the two folders.
        var script = "cp -a \"$0\" \"$1/data\" && chmod 700 \"$1/data\" && mkdir -m 700 \"$1/socket\"" +
            (RunAsOtherUser ? " && chown \"$2:\" \"$1\" \"$1/socket\"" : string.Empty);
        await ProcessRunner.RunCheckedAsync("sh", ["-c", script, TemplateDirectory, instance, options.RootServerUser], "copy the template cluster", cancellationToken)
            .ConfigureAwait(false);
        return instance;
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
            DeleteQuietly(instance);
            removed++;
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

    private async Task ChownToServerUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (RunAsOtherUser)
        {
            await ProcessRunner.RunCheckedAsync("chown", [$"{options.RootServerUser}:", directory], $"hand {directory} to the user '{options.RootServerUser}'", cancellationToken)
                .ConfigureAwait(false);
        }
    }
}
