using System.Globalization;
using System.Runtime.CompilerServices;
using MySqlConnector;
using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Serves a MySQL or MariaDB target: Connector/J-style connector settings, a reader and table drops.</summary>
/// <remarks>
/// Through the fault proxy the connection runs without TLS (<c>sslMode=DISABLED</c>: the proxy's MySQL gate must read the
/// replies) and with <c>socketTimeout</c> in milliseconds, as Connector/J and MariaDB Connector/J read it. Two failure
/// cases are refused: poison records that must fail at the target (the columns are not narrowed on MySQL yet), and the crash in
/// the loss window (<see cref="CrashAfterOffsetCommit"/>), whose frozen kill confirms the target drained only for PostgreSQL sessions.
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
        TargetRefusals.Explain(Kind, scenario, "not MySQL ones", "cannot narrow its columns, so");

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy)
    {
        var direct = new MySqlConnectionStringBuilder(_connectionString);
        var url = throughProxy
            ? string.Create(CultureInfo.InvariantCulture, $"jdbc:mysql://{_sinkHost}:{_sinkPort}/{Schema}?sslMode=DISABLED&socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds * 1000}")
            : string.Create(CultureInfo.InvariantCulture, $"jdbc:mysql://{_sinkHost}:{_directPort}/{Schema}?sslMode=DISABLED");
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
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping) => new TolerantReader(new MySqlTableReader(_connectionString, mapping), _connectionString, mapping);

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
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    // Reads a sink's table as empty while it does not exist (before auto.create made it, or after a fault dropped it), so triggers can watch it from the start.
    private sealed class TolerantReader(ITargetReader inner, string connectionString, PostgreSqlTableMapping mapping) : ITargetReader
    {
        private volatile bool _exists;

        public string Description => inner.Description;

        public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (!_exists)
            {
                var connection = new MySqlConnection(connectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = @table", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        command.Parameters.AddWithValue("@schema", mapping.Schema);
                        command.Parameters.AddWithValue("@table", mapping.Table);
                        _exists = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
                    }
                }

                if (!_exists)
                {
                    yield break;
                }
            }

            // A table dropped after it existed (a fault that rebuilds the target) reads as empty again until the sink recreates it.
            var rows = inner.ReadRowsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (rows.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await rows.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.NoSuchTable)
                    {
                        _exists = false;
                        yield break;
                    }

                    yield return rows.Current;
                }
            }
        }
    }
}
