namespace SinkIdempotency.Embedded;

/// <summary>Configures a local MySQL or MariaDB server started from the machine's server binaries.</summary>
/// <remarks>
/// <see cref="LocalServerOptions.BinDirectory"/> (the folder holding <c>mariadbd</c> or <c>mysqld</c>), when unset:
/// <c>SINKIDEMPOTENCY_MYSQL_BIN</c>; else <c>PATH</c>, <c>/usr/sbin</c>, <c>/usr/local/mysql/bin</c>, <c>/opt/homebrew/bin</c>.
/// <see cref="LocalServerOptions.Fsync"/> off means <c>innodb_flush_log_at_trx_commit=2</c> (a commit reaches the OS, so it
/// survives the server process being killed, not an OS crash) and no doublewrite buffer.
/// <see cref="LocalServerOptions.RootServerUser"/>, when unset, is <c>mysql</c> (the user Debian's <c>mariadb-server</c> and
/// <c>mysql-server</c> create) when it exists, else <c>nobody</c>.
/// </remarks>
public sealed record LocalMySqlOptions : LocalServerOptions
{
    /// <summary>The environment variable that names the folder holding <c>mariadbd</c> (or <c>mysqld</c>).</summary>
    public const string BinDirectoryVariable = "SINKIDEMPOTENCY_MYSQL_BIN";

    /// <summary>Gets the name of the database created at start, which connection strings name.</summary>
    /// <value><c>sinkidempotency</c>.</value>
    public string Database { get; init; } = "sinkidempotency";

    /// <inheritdoc />
    private protected override string PackageUser => "mysql";

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a folder or name is empty or the timeout is not positive.</exception>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrWhiteSpace(Database) || Database.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new ArgumentException($"Database must be a plain name of ASCII letters, digits and underscores, not '{Database}'.");
        }
    }
}
