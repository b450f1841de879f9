namespace SinkIdempotency.Embedded;

/// <summary>Configures a throwaway database server that the harness starts from the machine's binaries: what every engine shares.</summary>
public abstract record LocalServerOptions
{
    /// <summary>Gets the folder holding the server binaries, or <see langword="null"/> to search for them.</summary>
    /// <value><see langword="null"/>: the engine's environment variable, then <c>PATH</c> and the usual install folders. A folder that is set but holds no working binaries is an error, never a reason to look elsewhere.</value>
    public string? BinDirectory { get; init; }

    /// <summary>Gets the folder that holds the cached template data folder and every instance.</summary>
    /// <value><c>$TMPDIR/sinkidempotency</c> (usually <c>/tmp/sinkidempotency</c>), shared by the engines.</value>
    /// <remarks>
    /// Not under the user's cache folder: when the harness runs as root the server runs as another user, which cannot
    /// enter <c>/root</c>. Every folder on the path must be traversable by the server's user.
    /// </remarks>
    public string WorkingDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "sinkidempotency");

    /// <summary>Gets a value indicating whether the server flushes commits to disk.</summary>
    /// <value><see langword="false"/>, which is several times faster: the scenarios crash workers, never the target server or the machine.</value>
    public bool Fsync { get; init; }

    /// <summary>Gets how long to wait for the server to accept connections.</summary>
    /// <value>60 seconds, generous because builds and tests share few cores.</value>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets a folder the server log is copied to when the server is disposed, for evidence; or <see langword="null"/>.</summary>
    /// <value><see langword="null"/>: the log is deleted with the instance (read it before with <c>ReadLogAsync</c>).</value>
    public string? LogDirectory { get; init; }

    /// <summary>Gets the OS user the server runs as when the harness runs as root, or <see langword="null"/> to choose.</summary>
    /// <value><see langword="null"/>: the user the engine's packages create (<c>postgres</c>, <c>mysql</c>) when it exists, else <c>nobody</c>. A user that is set but does not exist is an error. The server never runs as root.</value>
    public string? RootServerUser { get; init; }

    /// <summary>Gets the clock used for start deadlines.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the user the engine's packages create, named in messages about <see cref="RootServerUser"/>.</summary>
    private protected abstract string PackageUser { get; }

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a folder or name is empty or the timeout is not positive.</exception>
    public virtual void Validate()
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
            throw new ArgumentException($"RootServerUser must name an OS user, for example {PackageUser}, or be null to choose {PackageUser} or nobody.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
