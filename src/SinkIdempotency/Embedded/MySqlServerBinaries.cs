using System.Text.RegularExpressions;

namespace SinkIdempotency.Embedded;

/// <summary>Finds a MariaDB or MySQL server binary, how to initialise a data folder with it, and its version.</summary>
internal sealed partial class MySqlServerBinaries
{
    /// <summary>The usual folders of the server binary, searched after <c>PATH</c>.</summary>
    public static readonly IReadOnlyList<string> InstallFolders = ["/usr/sbin", "/usr/local/mysql/bin", "/usr/local/sbin", "/opt/homebrew/bin", "/usr/local/bin"];

    private static readonly string[] ServerNames = ["mariadbd", "mysqld"];

    private MySqlServerBinaries(string server, string? installDb, string version, string source)
    {
        Server = server;
        InstallDb = installDb;
        Version = version;
        Source = source;
    }

    /// <summary>Gets the server binary (<c>mariadbd</c> or <c>mysqld</c>).</summary>
    public string Server { get; }

    /// <summary>Gets MariaDB's <c>mariadb-install-db</c> (or <c>mysql_install_db</c>), or <see langword="null"/> for MySQL, which initialises with <c>mysqld --initialize-insecure</c>.</summary>
    public string? InstallDb { get; }

    /// <summary>Gets the version the server prints, for example <c>10.11.19-MariaDB</c>.</summary>
    public string Version { get; }

    /// <summary>Gets where the binaries came from, for messages.</summary>
    public string Source { get; }

    public bool IsMariaDb => Version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves the binaries: the configured folder only, else <c>PATH</c> and the install folders.</summary>
    /// <exception cref="LocalMySqlException">Thrown when no server is found; the message names the package to install and the variable to set.</exception>
    public static async Task<MySqlServerBinaries> LocateAsync(LocalMySqlOptions options, Func<string, string?> variable, IReadOnlyList<string> installFolders, CancellationToken cancellationToken)
    {
        var (configured, from) = options.BinDirectory is { Length: > 0 } option
            ? (option, "LocalMySqlOptions.BinDirectory")
            : (variable(LocalMySqlOptions.BinDirectoryVariable), LocalMySqlOptions.BinDirectoryVariable);
        IEnumerable<string> folders = string.IsNullOrWhiteSpace(configured)
            ? [.. (variable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries), .. installFolders]
            : [configured];
        var searched = folders.Distinct(StringComparer.Ordinal).ToList();
        foreach (var folder in searched)
        {
            foreach (var name in ServerNames)
            {
                var server = Path.Combine(folder, name);
                if (!File.Exists(server))
                {
                    continue;
                }

                var version = await ReadVersionAsync(server, cancellationToken).ConfigureAwait(false);
                var installDb = FindInstallDb(folder, searched);
                if (version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) && installDb is null)
                {
                    throw new LocalMySqlException(
                        $"Found the MariaDB server {server} but not mariadb-install-db beside it or on PATH, which prepares its data folder; install the `mariadb-server` package completely.");
                }

                return new MySqlServerBinaries(server, version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? installDb : null, version, configured is null or "" ? "this machine" : from);
            }
        }

        throw new LocalMySqlException(
            string.IsNullOrWhiteSpace(configured)
                ? $"No MariaDB or MySQL server binary (mariadbd or mysqld) was found in {string.Join(", ", searched)}. " +
                  $"Install one (Debian/Ubuntu: `apt-get install mariadb-server`; macOS: `brew install mariadb`), or set {LocalMySqlOptions.BinDirectoryVariable} to the folder that holds mariadbd or mysqld."
                : $"No MariaDB or MySQL server binary (mariadbd or mysqld) was found in {configured}, the folder {from} names. Point {from} at the folder that holds mariadbd or mysqld (for example /usr/sbin), or unset it to search PATH.");
    }

    private static string? FindInstallDb(string serverFolder, IEnumerable<string> searched)
    {
        // Debian puts the server in /usr/sbin and mariadb-install-db in /usr/bin.
        foreach (var folder in new[] { serverFolder, Path.Combine(Path.GetDirectoryName(serverFolder) ?? "/", "bin") }.Concat(searched))
        {
            foreach (var name in new[] { "mariadb-install-db", "mysql_install_db" })
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<string> ReadVersionAsync(string server, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync(server, ["--version"], cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(output);
        if (exitCode != 0 || !match.Success)
        {
            throw new LocalMySqlException($"The server binary {server} did not print its version (`{server} --version` exited with code {exitCode}: {output}); reinstall it or point {LocalMySqlOptions.BinDirectoryVariable} at a working one.");
        }

        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Ver\s+(\S+)")]
    private static partial Regex VersionPattern();
}
