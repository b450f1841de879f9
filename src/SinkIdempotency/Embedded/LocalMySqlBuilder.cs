namespace SinkIdempotency.Embedded;

/// <summary>Builds a local MariaDB or MySQL server from the machine's server binaries; every <c>With…</c> returns a new builder.</summary>
/// <example>
/// <code>
/// await using var mysql = await new LocalMySqlBuilder().StartAsync(cancellationToken);
/// await using var connection = new MySqlConnection(mysql.ConnectionString);
/// </code>
/// </example>
public sealed class LocalMySqlBuilder
{
    /// <summary>Initializes a builder with the default options.</summary>
    public LocalMySqlBuilder()
        : this(new LocalMySqlOptions())
    {
    }

    private LocalMySqlBuilder(LocalMySqlOptions options) => Options = options;

    /// <summary>Gets the options built so far.</summary>
    /// <value>The defaults of <see cref="LocalMySqlOptions"/> for a new builder.</value>
    public LocalMySqlOptions Options { get; }

    /// <summary>Uses the server binary in a given folder instead of searching.</summary>
    /// <param name="binDirectory">The folder holding <c>mariadbd</c> or <c>mysqld</c>.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithBinDirectory(string binDirectory) => new(Options with { BinDirectory = binDirectory });

    /// <summary>Keeps the template data folder and the instances in a given folder.</summary>
    /// <param name="workingDirectory">A folder the server user can traverse.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithWorkingDirectory(string workingDirectory) => new(Options with { WorkingDirectory = workingDirectory });

    /// <summary>Names the database created at start.</summary>
    /// <param name="database">A plain name of letters, digits and underscores.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithDatabase(string database) => new(Options with { Database = database });

    /// <summary>Turns flushing the redo log at every commit on or off.</summary>
    /// <param name="fsync">Whether a commit is flushed to disk.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithFsync(bool fsync) => new(Options with { Fsync = fsync });

    /// <summary>Sets how long to wait for the server to accept connections.</summary>
    /// <param name="timeout">The start deadline.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithStartTimeout(TimeSpan timeout) => new(Options with { StartTimeout = timeout });

    /// <summary>Copies the server log into a folder when the server is disposed.</summary>
    /// <param name="logDirectory">The evidence folder.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithLogDirectory(string logDirectory) => new(Options with { LogDirectory = logDirectory });

    /// <summary>Names the OS user the server runs as when the harness runs as root.</summary>
    /// <param name="user">An existing user, for example <c>mysql</c>.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithRootServerUser(string user) => new(Options with { RootServerUser = user });

    /// <summary>Uses a given clock for deadlines.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A new builder.</returns>
    public LocalMySqlBuilder WithTimeProvider(TimeProvider timeProvider) => new(Options with { TimeProvider = timeProvider });

    /// <summary>Checks the options and creates a server that is not started yet.</summary>
    /// <returns>The server; call <see cref="LocalMySql.StartAsync"/> and dispose it.</returns>
    /// <exception cref="ArgumentException">Thrown when the options are invalid.</exception>
    public LocalMySql Build()
    {
        Options.Validate();
        return new LocalMySql(Options);
    }

    /// <summary>Builds and starts a server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and delete its files.</returns>
    /// <exception cref="LocalMySqlException">Thrown when the binaries are missing or the server does not start.</exception>
    public async Task<LocalMySql> StartAsync(CancellationToken cancellationToken = default)
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
