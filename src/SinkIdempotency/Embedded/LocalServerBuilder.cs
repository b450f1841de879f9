using SinkIdempotency.Environments;

namespace SinkIdempotency.Embedded;

/// <summary>Builds a throwaway database server: the <c>With…</c> methods every engine shares; every one returns a new builder.</summary>
/// <typeparam name="TBuilder">The engine's builder.</typeparam>
/// <typeparam name="TServer">The engine's server.</typeparam>
/// <typeparam name="TOptions">The engine's options.</typeparam>
public abstract class LocalServerBuilder<TBuilder, TServer, TOptions>
    where TBuilder : LocalServerBuilder<TBuilder, TServer, TOptions>
    where TServer : LocalServer<TOptions>
    where TOptions : LocalServerOptions
{
    private protected LocalServerBuilder(TOptions options) => Options = options;

    /// <summary>Gets the options built so far.</summary>
    /// <value>The defaults of the engine's options for a new builder.</value>
    public TOptions Options { get; }

    /// <summary>Uses the server binaries in a given folder instead of searching.</summary>
    /// <param name="binDirectory">The folder holding the server binaries.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithBinDirectory(string binDirectory) => With(Shared with { BinDirectory = binDirectory });

    /// <summary>Keeps the template data folder and the instances in a given folder.</summary>
    /// <param name="workingDirectory">A folder the server user can traverse.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithWorkingDirectory(string workingDirectory) => With(Shared with { WorkingDirectory = workingDirectory });

    /// <summary>Turns durable writes on or off.</summary>
    /// <param name="fsync">Whether the server flushes commits to disk.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithFsync(bool fsync) => With(Shared with { Fsync = fsync });

    /// <summary>Sets how long to wait for the server to accept connections.</summary>
    /// <param name="timeout">The start deadline.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithStartTimeout(TimeSpan timeout) => With(Shared with { StartTimeout = timeout });

    /// <summary>Copies the server log into a folder when the server is disposed.</summary>
    /// <param name="logDirectory">The evidence folder.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithLogDirectory(string logDirectory) => With(Shared with { LogDirectory = logDirectory });

    /// <summary>Names the OS user the server runs as when the harness runs as root.</summary>
    /// <param name="user">An existing user, for example <c>postgres</c> or <c>mysql</c>.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithRootServerUser(string user) => With(Shared with { RootServerUser = user });

    /// <summary>Uses a given clock for deadlines.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithTimeProvider(TimeProvider timeProvider) => With(Shared with { TimeProvider = timeProvider });

    /// <summary>Checks the options and creates a server that is not started yet.</summary>
    /// <returns>The server; call <see cref="LocalServer{TOptions}.StartAsync"/> and dispose it.</returns>
    /// <exception cref="ArgumentException">Thrown when the options are invalid.</exception>
    public TServer Build()
    {
        Options.Validate();
        return Create(Options);
    }

    /// <summary>Builds and starts a server.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it and delete its files.</returns>
    /// <exception cref="EnvironmentUnavailableException">Thrown when the binaries are missing or the server does not start.</exception>
    public async Task<TServer> StartAsync(CancellationToken cancellationToken = default)
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

    /// <summary>Creates a builder of the engine's type holding the given options.</summary>
    private protected abstract TBuilder Clone(TOptions options);

    /// <summary>Creates the engine's server from checked options.</summary>
    private protected abstract TServer Create(TOptions options);

    private LocalServerOptions Shared => Options;

    private TBuilder With(LocalServerOptions options) => Clone((TOptions)options);
}
