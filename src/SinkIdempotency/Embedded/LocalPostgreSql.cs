using Npgsql;

namespace SinkIdempotency.Embedded;

/// <summary>Runs a private PostgreSQL server on 127.0.0.1 from the machine's server binaries (or ones downloaded once); disposing it stops it and deletes its files.</summary>
/// <remarks>
/// The first start per PostgreSQL version runs <c>initdb</c> into a cached template; every instance copies the template,
/// so later starts take a fraction of a second. Each instance gets its own folder, port and short socket folder, and an owner
/// marker: a start removes clusters whose owner process has died. The server also stops by itself when the harness
/// process dies, because a small shell watchdog stops it when its standard input (a pipe from the harness) closes.
/// </remarks>
public sealed partial class LocalPostgreSql : LocalServer<LocalPostgreSqlOptions>
{
    private readonly LocalPostgreSqlOptions _options;
    private NpgsqlDataSource? _dataSource;

    internal LocalPostgreSql(LocalPostgreSqlOptions options)
        : base(options, "PostgreSQL", "postgres.log", "postgres") => _options = options;

    /// <summary>Gets the folder of the server binaries in use.</summary>
    /// <value>Empty before the start.</value>
    public string BinDirectory { get; private set; } = string.Empty;

    /// <summary>Gets a pooled Npgsql data source for the <c>postgres</c> database as the <c>postgres</c> superuser (trust authentication); the server disposes it.</summary>
    /// <value>Available once started.</value>
    /// <exception cref="InvalidOperationException">Thrown before the server is started.</exception>
    public NpgsqlDataSource DataSource => _dataSource ?? throw NotStarted();
}
