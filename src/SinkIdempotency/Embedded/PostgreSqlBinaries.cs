using System.Globalization;
using System.Text.RegularExpressions;

namespace SinkIdempotency.Embedded;

/// <summary>Finds the PostgreSQL server binaries and their version.</summary>
internal sealed partial class PostgreSqlBinaries
{
    private const string LibraryRoot = "/usr/lib/postgresql";

    // Asking postgres for its version costs a process start; the answer for a folder does not change while we run.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> KnownVersions = new(StringComparer.Ordinal);

    private PostgreSqlBinaries(string directory, string version)
    {
        Directory = directory;
        Version = version;
    }

    public string Directory { get; }

    public string Version { get; }

    public string Postgres => Path.Combine(Directory, "postgres");

    public string InitDb => Path.Combine(Directory, "initdb");

    public static async Task<PostgreSqlBinaries> LocateAsync(string? configured, string? environment, string? path, CancellationToken cancellationToken)
    {
        var directory = Find(configured, environment, path, out var searched);
        if (directory is null)
        {
            throw new LocalPostgreSqlException(MissingMessage(searched));
        }

        if (KnownVersions.TryGetValue(directory, out var known))
        {
            return new PostgreSqlBinaries(directory, known);
        }

        var (exitCode, output) = await ProcessRunner.RunAsync(Path.Combine(directory, "postgres"), ["--version"], cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(output);
        if (exitCode != 0 || !match.Success)
        {
            throw new LocalPostgreSqlException($"'{Path.Combine(directory, "postgres")} --version' did not print a PostgreSQL version (exit code {exitCode}): {output}");
        }

        KnownVersions[directory] = match.Groups[1].Value;
        return new PostgreSqlBinaries(directory, match.Groups[1].Value);
    }

    /// <summary>Returns the first folder that holds both binaries, in the documented search order.</summary>
    public static string? Find(string? configured, string? environment, string? path, out IReadOnlyList<string> searched)
    {
        var tried = new List<string>();
        searched = tried;

        // An explicit folder is the only candidate: silently falling back would test another PostgreSQL than asked for.
        if (!string.IsNullOrWhiteSpace(configured))
        {
            tried.Add(configured);
            return HasBoth(configured) ? configured : null;
        }

        if (!string.IsNullOrWhiteSpace(environment))
        {
            tried.Add($"{environment} (from {LocalPostgreSqlOptions.BinDirectoryVariable})");
            return HasBoth(environment) ? environment : null;
        }

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
        if (System.IO.Directory.Exists(LibraryRoot))
        {
            var versions = System.IO.Directory.GetDirectories(LibraryRoot)
                .Select(d => (Folder: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), NumberStyles.Integer, CultureInfo.InvariantCulture, out var major) ? major : -1))
                .OrderByDescending(v => v.Major);
            foreach (var (folder, _) in versions)
            {
                if (HasBoth(folder))
                {
                    return folder;
                }
            }
        }

        tried.Add($"{LibraryRoot}/*/bin");
        return null;
    }

    public static string MissingMessage(IEnumerable<string> searched) =>
        "PostgreSQL server binaries (postgres and initdb) were not found in " + string.Join(", ", searched.Distinct()) +
        ". Install the `postgresql` package (for example `apt-get install postgresql`), set " + LocalPostgreSqlOptions.BinDirectoryVariable +
        " to the folder that holds them, or run with `--env docker`.";

    private static bool HasBoth(string folder) =>
        File.Exists(Path.Combine(folder, "postgres")) && File.Exists(Path.Combine(folder, "initdb"));

    [GeneratedRegex(@"\(PostgreSQL\)\s+([0-9][0-9A-Za-z.]*)")]
    private static partial Regex VersionPattern();
}
