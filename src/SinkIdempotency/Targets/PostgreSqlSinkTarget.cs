using System.Globalization;
using Npgsql;
using SinkIdempotency.Environments;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Serves a PostgreSQL target: pgjdbc-style connector settings, a reader, table drops and the <c>ALTER TABLE</c> narrowing for poison that must fail at the target.</summary>
internal sealed class PostgreSqlSinkTarget : ISinkTarget
{
    private readonly TargetEndpoint _endpoint;
    private readonly IConnectorTargetSettings? _own;
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Initializes a target over an environment's PostgreSQL.</summary>
    /// <param name="endpoint">How the harness and the connectors reach it.</param>
    /// <param name="proxy">The fault proxy in front of it, if any.</param>
    /// <param name="own">The environment's own connector settings (a team's database), if it has them.</param>
    public PostgreSqlSinkTarget(TargetEndpoint endpoint, TargetFaultProxy? proxy, IConnectorTargetSettings? own)
    {
        _endpoint = endpoint;
        _own = own;
        Proxy = proxy;
        _dataSource = NpgsqlDataSource.Create(endpoint.ConnectionString);
    }

    /// <inheritdoc />
    public string Kind => ScenarioTarget.PostgreSqlKind;

    /// <inheritdoc />
    public string Schema => "public";

    /// <inheritdoc />
    public TargetFaultProxy? Proxy { get; }

    /// <inheritdoc />
    public bool UsesScenarioTargetSettings => _own is { UsesScenarioTargetSettings: true };

    /// <inheritdoc />
    public string? ExplainUnsupported(Scenario scenario) => null;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) =>
        _own is not null ? _own.GetConnectorTargetSettings(throughProxy) : ConnectorSettings(_endpoint, throughProxy);

    /// <summary>Builds the connector settings that point a sink at <paramref name="target"/>, directly or through the fault proxy.</summary>
    /// <param name="target">The endpoint.</param>
    /// <param name="throughProxy">Whether the connection goes through the fault proxy.</param>
    /// <returns><c>connection.url</c> (with <c>socketTimeout</c> in seconds through the proxy), user and password.</returns>
    internal static Dictionary<string, string> ConnectorSettings(TargetEndpoint target, bool throughProxy)
    {
        var direct = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var database = direct.Database ?? "postgres";

        // Through the proxy a withheld reply must time out in seconds: socketTimeout, which the JDBC driver and the
        // .NET worker both honour (the worker maps it to Npgsql's command timeout and drops the connection at once).
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connection.url"] = throughProxy
                ? string.Create(CultureInfo.InvariantCulture, $"jdbc:postgresql://{target.SinkHost}:{target.SinkPort}/{database}?socketTimeout={SinkScenarioDriver.ProxyReplyTimeoutSeconds}")
                : string.Create(CultureInfo.InvariantCulture, $"jdbc:postgresql://{target.DirectSinkHost ?? direct.Host}:{target.DirectSinkPort ?? direct.Port}/{database}"),
        };
        if (direct.Username is { } user)
        {
            settings["connection.user"] = user;
        }

        if (direct.Password is { } password)
        {
            settings["connection.password"] = password;
        }

        return settings;
    }

    /// <inheritdoc />
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new MissingTableTolerantReader(
            new PostgreSqlTableReader(_dataSource, mapping),
            async cancellationToken =>
            {
                var command = _dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddWithValue($"{Quote(mapping.Schema)}.{Quote(mapping.Table)}");
                    return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
                }
            },
            ex => ex is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable });
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness drops only what a run created.</exception>
    public async Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        var command = _dataSource.CreateCommand($"DROP TABLE IF EXISTS {Quote(schema)}.{Quote(table)}");
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness changes only what a run created.</exception>
    public async Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(workload);
        RunNamespace.EnsureRunScoped("table", table, "change");
        var alterations = TargetPoison.Alterations(kinds, workload);
        var statement = $"ALTER TABLE {Quote(schema)}.{Quote(table)} {string.Join(", ", alterations)}";
        if (alterations.Count == 0)
        {
            return statement;
        }

        // A sink holding a transaction open would block the ALTER forever; a lock timeout turns that into an error.
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '10s'; {statement}", connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return statement;
    }

    /// <inheritdoc />
    /// <remarks>A session counts while <c>pg_stat_activity.state</c> is active and it does not wait on its client (<c>wait_event_type</c> <c>Client</c>: the rest of a message the freeze cut in half, or room to send its reply).</remarks>
    public async Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) =>
        (int)await CountSessionsAsync(_dataSource, clientPorts, onlyBusy: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Counts the sessions of the given local client ports, all of them or only those executing a statement.</summary>
    /// <param name="dataSource">The server.</param>
    /// <param name="clientPorts">The client ports (connections from 127.0.0.1).</param>
    /// <param name="onlyBusy">Whether to count only sessions executing a statement that do not wait on their client.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The count.</returns>
    internal static async Task<long> CountSessionsAsync(NpgsqlDataSource dataSource, IReadOnlyCollection<int> clientPorts, bool onlyBusy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientPorts);
        if (clientPorts.Count == 0)
        {
            return 0;
        }

        var sql = "SELECT count(*) FROM pg_stat_activity WHERE client_port = ANY($1) AND client_addr IN ('127.0.0.1', '::1')"
            + (onlyBusy ? " AND state NOT IN ('idle', 'idle in transaction', 'idle in transaction (aborted)') AND wait_event_type IS DISTINCT FROM 'Client'" : string.Empty);
        var command = dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = clientPorts.ToArray() });
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
