using System.Globalization;
using MySqlConnector;
using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Serves a MySQL or MariaDB target: Connector/J-style connector settings, a reader and table drops.</summary>
/// <remarks>
/// The connection runs without TLS (<c>sslMode=DISABLED</c>: the proxy's MySQL gate must read the replies), fetching the
/// server's RSA key for <c>caching_sha2_password</c> (<c>allowPublicKeyRetrieval=true</c>, MySQL 8.4's default authentication), and through the proxy with <c>socketTimeout</c> in milliseconds, as Connector/J and MariaDB Connector/J read it. Poison records
/// that must fail at the target are refused (the columns are not narrowed on MySQL yet).
/// </remarks>
internal sealed class MySqlSinkTarget : ISinkTarget
{
    private readonly string _connectionString;
    private readonly string _sinkHost;
    private readonly int _sinkPort;
    private readonly int _directPort;

    /// <summary>Initializes a target over a running server.</summary>
    /// <param name="connectionString">The MySqlConnector connection string the harness reads with (directly).</param>
    /// <param name="sinkHost">The host connectors connect to.</param>
    /// <param name="directPort">The server's own port.</param>
    /// <param name="proxy">The MySQL-protocol fault proxy in front of the server, if any.</param>
    public MySqlSinkTarget(string connectionString, string sinkHost, int directPort, TargetFaultProxy? proxy)
    {
        _connectionString = connectionString;
        _sinkHost = sinkHost;
        _directPort = directPort;
        _sinkPort = proxy?.Port ?? directPort;
        Proxy = proxy;
        Schema = new MySqlConnectionStringBuilder(connectionString).Database;
    }

    /// <inheritdoc />
    public string Kind => ScenarioTarget.MySqlKind;

    /// <inheritdoc />
    /// <value>The database of the connection string.</value>
    public string Schema { get; }

    /// <inheritdoc />
    public TargetFaultProxy? Proxy { get; }

    /// <inheritdoc />
    public bool UsesScenarioTargetSettings => false;

    /// <inheritdoc />
    public string? ExplainUnsupported(Scenario scenario) =>
        TargetRefusals.Explain(Kind, scenario, "cannot narrow its columns, so");

    // Plain TCP, so the proxy's MySQL gate can read the replies. MySQL 8.4 authenticates with caching_sha2_password, whose
    // full authentication over a connection without TLS needs the server's RSA key: Connector/J refuses to fetch it
    // ("Public Key Retrieval is not allowed", CachingSha2PasswordPlugin) unless allowPublicKeyRetrieval=true, so a sink
    // whose first connection meets an empty authentication cache (a fresh or restarted server) would never connect.
    private const string WithoutTls = "sslMode=DISABLED&allowPublicKeyRetrieval=true";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy)
    {
        var direct = new MySqlConnectionStringBuilder(_connectionString);
        var url = throughProxy
            ? string.Create(CultureInfo.InvariantCulture, $"jdbc:mysql://{_sinkHost}:{_sinkPort}/{Schema}?{WithoutTls}&socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds * 1000}")
            : string.Create(CultureInfo.InvariantCulture, $"jdbc:mysql://{_sinkHost}:{_directPort}/{Schema}?{WithoutTls}");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["connection.url"] = url };
        if (!string.IsNullOrEmpty(direct.UserID))
        {
            settings["connection.user"] = direct.UserID;
        }

        if (!string.IsNullOrEmpty(direct.Password))
        {
            settings["connection.password"] = direct.Password;
        }

        return settings;
    }

    /// <inheritdoc />
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new MissingTableTolerantReader(
            new MySqlTableReader(_connectionString, mapping),
            async cancellationToken =>
            {
                var connection = new MySqlConnection(_connectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = @table", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        command.Parameters.AddWithValue("@schema", mapping.Schema);
                        command.Parameters.AddWithValue("@table", mapping.Table);
                        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
                    }
                }
            },
            ex => ex is MySqlException { ErrorCode: MySqlErrorCode.NoSuchTable });
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness drops only what a run created.</exception>
    public async Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        var connection = new MySqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new MySqlCommand($"DROP TABLE IF EXISTS {Quote(schema)}.{Quote(table)}", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: <see cref="ExplainUnsupported"/> refuses scenarios that need it.</exception>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"The {Kind} target cannot narrow its columns for poison records that must fail at the target."));

    /// <inheritdoc />
    /// <remarks>
    /// A session counts while <c>information_schema.processlist</c> shows it running a command (<c>Command</c> other than
    /// <c>Sleep</c>); a session between commands, or still reading a command packet the freeze cut in half, shows
    /// <c>Sleep</c>. Sessions are matched by the client port in <c>Host</c> (<c>127.0.0.1:port</c> or <c>localhost:port</c>).
    /// </remarks>
    public async Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientPorts);
        if (clientPorts.Count == 0)
        {
            return 0;
        }

        var connection = new MySqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var ports = string.Join(',', clientPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"'{p}'")));
            var command = new MySqlCommand(
                $"SELECT COUNT(*) FROM information_schema.processlist WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN ('Sleep', 'Daemon') AND SUBSTRING_INDEX(HOST, ':', -1) IN ({ports})",
                connection);
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";
}
