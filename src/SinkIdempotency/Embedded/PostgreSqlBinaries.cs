using System.Globalization;
using System.Text.RegularExpressions;

namespace SinkIdempotency.Embedded;

/// <summary>Finds the PostgreSQL server binaries and their version: the configured folder, else this machine's, else a downloaded bundle.</summary>
internal sealed partial class PostgreSqlBinaries
{
    /// <summary>The usual install folders, searched after <c>PATH</c>; <c>*</c> stands for a version, and the newest is taken first.</summary>
    public static readonly IReadOnlyList<string> InstallFolders =
    [
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/usr/local/pgsql/bin",
        "/opt/homebrew/opt/postgresql@*/bin",
        "/usr/local/opt/postgresql@*/bin",
        "/Applications/Postgres.app/Contents/Versions/*/bin",
    ];

    // Asking postgres for its version costs a process start; the answer for a folder does not change while we run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> KnownVersions = new(StringComparer.Ordinal);

    private PostgreSqlBinaries(string directory, string version, string source)
    {
        Directory = directory;
        Version = version;
        Source = source;
    }

    public string Directory { get; }

    public string Version { get; }

    /// <summary>Gets where the binaries came from, for messages: the option, the variable, <c>PATH</c>, an install folder or the bundle.</summary>
    public string Source { get; }

    public string Postgres => Path.Combine(Directory, "postgres");

    public string InitDb => Path.Combine(Directory, "initdb");

    /// <summary>Resolves the binaries in the documented order; a configured folder that does not work is an error naming it.</summary>
    public static async Task<PostgreSqlBinaries> LocateAsync(
        LocalPostgreSqlOptions options, Func<string, string?> variable, IReadOnlyList<string> installFolders, Func<PostgreSqlBundle?> bundle, CancellationToken cancellationToken)
    {
        // An explicit folder is the only candidate: silently falling back would test another PostgreSQL than asked for.
        var (configured, from) = options.BinDirectory is { Length: > 0 } option
            ? (option, "LocalPostgreSqlOptions.BinDirectory")
            : (variable(LocalPostgreSqlOptions.BinDirectoryVariable), LocalPostgreSqlOptions.BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!HasBoth(configured))
            {
                throw new LocalPostgreSqlException(
                    LocalPostgreSqlFailure.ConfiguredBinariesInvalid,
                    $"PostgreSQL server binaries (postgres and initdb) were not found in {configured}, the folder {from} names. " +
                    $"Point {from} at the folder that holds them (for example /usr/lib/postgresql/17/bin), or unset it to use the machine's PostgreSQL or a downloaded one.");
            }

            return await WithVersionAsync(configured, $"{from}", LocalPostgreSqlFailure.ConfiguredBinariesInvalid, cancellationToken).ConfigureAwait(false);
        }

        var found = Find(variable("PATH"), installFolders, out var searched);
        if (found is not null)
        {
            return await WithVersionAsync(found, "this machine", LocalPostgreSqlFailure.Other, cancellationToken).ConfigureAwait(false);
        }

        var searchedText = string.Join(", ", searched.Distinct());
        if (DownloadDisabledBy(options, variable) is { } disabledBy)
        {
            throw new LocalPostgreSqlException(
                LocalPostgreSqlFailure.BinariesNotFound,
                $"PostgreSQL server binaries (postgres and initdb) were not found in {searchedText}, and downloading them is turned off ({disabledBy}). " +
                $"{InstallAdvice()} Or allow the download (unset {LocalPostgreSqlOptions.DownloadVariable}), or use the Docker environment (`--env docker`, DockerEnvironmentBuilder), which runs PostgreSQL in a container.");
        }

        var package = bundle();
        if (package is null)
        {
            throw new LocalPostgreSqlException(
                LocalPostgreSqlFailure.BinariesNotFound,
                $"PostgreSQL server binaries (postgres and initdb) were not found in {searchedText}, and no PostgreSQL bundle is published for this platform ({PostgreSqlBundle.PlatformDescription}). " +
                $"{InstallAdvice()} Or use the Docker environment (`--env docker`, DockerEnvironmentBuilder).");
        }

        var directory = await package.EnsureAsync(searchedText, cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithVersionAsync(directory, $"the {package.PackageSpec} bundle cached in {package.Directory}", LocalPostgreSqlFailure.BundleInvalid, cancellationToken).ConfigureAwait(false);
        }
        catch (LocalPostgreSqlException ex)
        {
            // It ran when it was unpacked, so the cached copy was changed since; a fresh download replaces it.
            throw new LocalPostgreSqlException(ex.Failure, $"{ex.Message} Delete {package.Directory} to download it again.", ex);
        }
    }

    /// <summary>Returns the first folder on <c>PATH</c>, then in the install folders, that holds both binaries.</summary>
    public static string? Find(string? path, IReadOnlyList<string> installFolders, out IReadOnlyList<string> searched)
    {
        var tried = new List<string>();
        searched = tried;
        foreach (var entry in (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(entry, "postgres");
            if (!File.Exists(candidate))
            {
                continue;
            }

            // Debian links /usr/bin tools to the version folder; the server needs its real folder for initdb and libraries.
            var resolved = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            var folder = Path.GetDirectoryName(resolved)!;
            tried.Add(folder);
            if (HasBoth(folder))
            {
                return folder;
            }
        }

        tried.Add("PATH");
        foreach (var pattern in installFolders)
        {
            foreach (var folder in Expand(pattern))
            {
                if (HasBoth(folder))
                {
                    return folder;
                }
            }

            tried.Add(pattern);
        }

        return null;
    }

    /// <summary>Tells why downloading is off, or returns <see langword="null"/> when it is allowed.</summary>
    /// <exception cref="LocalPostgreSqlException">The variable holds a value that is neither a yes nor a no.</exception>
    public static string? DownloadDisabledBy(LocalPostgreSqlOptions options, Func<string, string?> variable)
    {
        if (!options.AllowDownload)
        {
            return "LocalPostgreSqlOptions.AllowDownload is false";
        }

        var value = variable(LocalPostgreSqlOptions.DownloadVariable)?.Trim();
        return value?.ToUpperInvariant() switch
        {
            null or "" or "1" or "TRUE" or "YES" or "ALLOW" or "ON" => null,
            "0" or "FALSE" or "NO" or "NEVER" or "OFF" => $"{LocalPostgreSqlOptions.DownloadVariable}={value}",
            _ => throw new LocalPostgreSqlException(
                LocalPostgreSqlFailure.Other,
                $"{LocalPostgreSqlOptions.DownloadVariable}='{value}' is not understood; set it to never (no download) or allow, or unset it."),
        };
    }

    public static string InstallAdvice() =>
        $"Install PostgreSQL's server binaries (Debian/Ubuntu: apt-get install postgresql; Fedora/RHEL: dnf install postgresql-server; macOS: brew install postgresql@17) " +
        $"or set {LocalPostgreSqlOptions.BinDirectoryVariable} to the folder that holds postgres and initdb.";

    private static async Task<PostgreSqlBinaries> WithVersionAsync(string directory, string source, LocalPostgreSqlFailure failure, CancellationToken cancellationToken)
    {
        if (KnownVersions.TryGetValue(directory, out var known))
        {
            return new PostgreSqlBinaries(directory, known, source);
        }

        var version = await ReadVersionAsync(Path.Combine(directory, "postgres"), cancellationToken).ConfigureAwait(false);
        if (version.Version is null)
        {
            throw new LocalPostgreSqlException(
                failure,
                $"'{Path.Combine(directory, "postgres")} --version' (from {source}) did not print a PostgreSQL version (exit code {version.ExitCode}): {version.Output}");
        }

        KnownVersions[directory] = version.Version;
        return new PostgreSqlBinaries(directory, version.Version, source);
    }

    /// <summary>Runs <c>postgres --version</c>; the version is <see langword="null"/> when the binary does not run or prints none.</summary>
    public static async Task<(string? Version, int ExitCode, string Output)> ReadVersionAsync(string postgres, CancellationToken cancellationToken)
    {
        try
        {
            var (exitCode, output) = await ProcessRunner.RunAsync(postgres, ["--version"], cancellationToken).ConfigureAwait(false);
            var match = VersionPattern().Match(output);
            return (exitCode == 0 && match.Success ? match.Groups[1].Value : null, exitCode, output);
        }
        catch (LocalPostgreSqlException ex)
        {
            return (null, -1, ex.Message);
        }
    }

    /// <summary>Lists the folders a pattern such as <c>/usr/pgsql-*/bin</c> matches, the highest version (the text in place of <c>*</c>) first.</summary>
    private static IEnumerable<string> Expand(string pattern)
    {
        var segments = pattern.Split('/');
        var wild = Array.FindIndex(segments, s => s.Contains('*', StringComparison.Ordinal));
        if (wild < 0)
        {
            return [pattern];
        }

        var parent = string.Join('/', segments[..wild]);
        var name = segments[wild];
        var rest = string.Join('/', segments[(wild + 1)..]);
        var star = name.IndexOf('*', StringComparison.Ordinal);
        if (!System.IO.Directory.Exists(parent))
        {
            return [];
        }

        return System.IO.Directory.GetDirectories(parent, name)
            .Select(Path.GetFileName)
            .Select(found => (Folder: Path.Combine(parent, found!, rest), Major: MajorOf(found![star..^(name.Length - star - 1)])))
            .OrderByDescending(v => v.Major)
            .Select(v => v.Folder);
    }

    private static double MajorOf(string name)
    {
        var match = LeadingNumber().Match(name);
        return match.Success && double.TryParse(match.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var major) ? major : -1;
    }

    private static bool HasBoth(string folder) =>
        File.Exists(Path.Combine(folder, "postgres")) && File.Exists(Path.Combine(folder, "initdb"));

    [GeneratedRegex(@"\(PostgreSQL\)\s+([0-9][0-9A-Za-z.]*)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?")]
    private static partial Regex LeadingNumber();
}
