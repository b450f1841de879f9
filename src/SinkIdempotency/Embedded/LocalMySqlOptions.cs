namespace SinkIdempotency.Embedded;

/// <summary>Configures a local MySQL or MariaDB server started from the machine's server binaries.</summary>
public sealed record LocalMySqlOptions
{
    /// <summary>The environment variable that names the folder holding <c>mariadbd</c> (or <c>mysqld</c>).</summary>
    public const string BinDirectoryVariable = "SINKIDEMPOTENCY_MYSQL_BIN";

    /// <summary>Gets the folder holding the server binary, or <see langword="null"/> to search.</summary>
    /// <value>
    /// <see langword="null"/>: <c>SINKIDEMPOTENCY_MYSQL_BIN</c>; else <c>PATH</c>, <c>/usr/sbin</c>, <c>/usr/local/mysql/bin</c>,
    /// <c>/opt/homebrew/bin</c>. A folder that is set but holds no server is an error, never a reason to look elsewhere.
    /// </value>
    public string? BinDirectory { get; init; }

    /// <summary>Gets the folder that holds the cached template data folder and every instance.</summary>
    /// <value><c>$TMPDIR/sinkidempotency</c> (usually <c>/tmp/sinkidempotency</c>), shared with the local PostgreSQL server.</value>
    public string WorkingDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "sinkidempotency");

    /// <summary>Gets the name of the database created at start, which connection strings name.</summary>
    /// <value><c>sinkidempotency</c>.</value>
    public string Database { get; init; } = "sinkidempotency";

    /// <summary>Gets a value indicating whether a commit flushes the redo log to disk.</summary>
    /// <value>
    /// <see langword="false"/>: <c>innodb_flush_log_at_trx_commit=2</c> (a commit reaches the OS, so it survives the server
    /// process being killed, not an OS crash) and no doublewrite buffer. The scenarios never crash the machine.
    /// </value>
    public bool Fsync { get; init; }

    /// <summary>Gets how long to wait for the server to accept connections.</summary>
    /// <value>60 seconds, generous because builds and tests share few cores.</value>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets a folder the server log is copied to when the server is disposed, for evidence; or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>: the log is deleted with the instance.</value>
    public string? LogDirectory { get; init; }

    /// <summary>Gets the OS user the server runs as when the harness runs as root, or <see langword="null"/> to choose.</summary>
    /// <value>
    /// <see langword="null"/>: <c>mysql</c> (the user Debian's <c>mariadb-server</c> and <c>mysql-server</c> create) when it exists,
    /// else <c>nobody</c> — the same rule as the local PostgreSQL server, with the package's own user first. A user that is set
    /// but does not exist is an error. The server never runs as root.
    /// </value>
    public string? RootServerUser { get; init; }

    /// <summary>Gets the clock used for start deadlines.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a folder or name is empty or the timeout is not positive.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkingDirectory))
        {
            throw new ArgumentException("Set WorkingDirectory to a folder the server user can traverse, for example /tmp/sinkidempotency.");
        }

        if (StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("StartTimeout must be positive.");
        }

        if (string.IsNullOrWhiteSpace(Database) || Database.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"Database must be a plain name of ASCII letters, digits and underscores, not '{Database}'.");
        }

        if (RootServerUser is not null && string.IsNullOrWhiteSpace(RootServerUser))
        {
            throw new ArgumentException("RootServerUser must name an OS user, for example mysql, or be null to choose mysql or nobody.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
