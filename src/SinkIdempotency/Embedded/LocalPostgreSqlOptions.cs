namespace SinkIdempotency.Embedded;

/// <summary>Configures a local PostgreSQL server started from the machine's server binaries.</summary>
public sealed record LocalPostgreSqlOptions
{
    /// <summary>The environment variable that names the folder holding <c>postgres</c> and <c>initdb</c>.</summary>
    public const string BinDirectoryVariable = "SINKIDEMPOTENCY_PG_BIN";

    /// <summary>Gets the folder holding <c>postgres</c> and <c>initdb</c>, or <see langword="null"/> to search for them.</summary>
    /// <value>
    /// <see langword="null"/>: the folder named by <c>SINKIDEMPOTENCY_PG_BIN</c>, else the folder of <c>postgres</c> on
    /// <c>PATH</c>, else the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// </value>
    public string? BinDirectory { get; init; }

    /// <summary>Gets the folder that holds the cached template cluster and every instance.</summary>
    /// <value><c>$TMPDIR/sinkidempotency</c> (usually <c>/tmp/sinkidempotency</c>).</value>
    /// <remarks>
    /// Not under the user's cache folder: when the harness runs as root the server runs as the <c>postgres</c> user, which
    /// cannot enter <c>/root</c>. Every folder on the path must be traversable by the server's user.
    /// </remarks>
    public string WorkingDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "sinkidempotency");

    /// <summary>Gets a value indicating whether the server flushes writes to disk.</summary>
    /// <value>
    /// <see langword="false"/>: <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> are off, which is several
    /// times faster. The scenarios crash workers, never the target server, so durability across an OS crash is not tested.
    /// </value>
    public bool Fsync { get; init; }

    /// <summary>Gets how long to wait for the server to accept connections.</summary>
    /// <value>60 seconds, generous because builds and tests share few cores.</value>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets a folder the server log is copied to when the server is disposed, for evidence; or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>: the log is deleted with the instance (read it before with <see cref="LocalPostgreSql.ReadLogAsync"/>).</value>
    public string? LogDirectory { get; init; }

    /// <summary>Gets extra server settings passed as <c>-c name=value</c>.</summary>
    /// <value>Empty.</value>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the OS user the server runs as when the harness runs as root (PostgreSQL refuses to run as root).</summary>
    /// <value><c>postgres</c>, the user Debian's <c>postgresql</c> package creates.</value>
    public string RootServerUser { get; init; } = "postgres";

    /// <summary>Gets the clock used for start deadlines.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a folder is empty or the timeout is not positive.</exception>
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

        if (string.IsNullOrWhiteSpace(RootServerUser))
        {
            throw new ArgumentException("RootServerUser must name an OS user, for example postgres.");
        }

        ArgumentNullException.ThrowIfNull(ServerSettings);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
