using System.Globalization;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Writes records as rows of one PostgreSQL table (event id, key, version, payload, Kafka coordinates), for the crash-window test sinks.</summary>
/// <remarks>
/// The table is <c>table.name.format</c> on the server of <c>connection.url</c> (<c>jdbc:postgresql://host:port/db</c>),
/// created on first use. With <c>visible</c> the rows carry a flag the write-behind sink sets later; readers filter on it.
/// </remarks>
internal sealed class WindowTable : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly bool _uniqueCoordinates;

    private WindowTable(NpgsqlDataSource dataSource, string table, bool uniqueCoordinates)
    {
        _dataSource = dataSource;
        _table = table;
        _uniqueCoordinates = uniqueCoordinates;
    }

    /// <summary>Gets the quoted table name.</summary>
    public string Name => Quote(_table);

    /// <summary>Opens the table named by the connector configuration and creates it when missing.</summary>
    public static async Task<WindowTable> OpenAsync(IReadOnlyDictionary<string, string> config, bool uniqueCoordinates, CancellationToken cancellationToken)
    {
        var url = config["connection.url"];
        const string Prefix = "jdbc:postgresql://";
        if (!url.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ConnectException($"connection.url '{url}' is not a jdbc:postgresql:// URL.");
        }

        var rest = url[Prefix.Length..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        rest = query < 0 ? rest : rest[..query];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash < 0 ? rest : rest[..slash];
        var colon = hostPort.LastIndexOf(':');
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = colon < 0 ? hostPort : hostPort[..colon],
            Port = colon < 0 ? 5432 : int.Parse(hostPort[(colon + 1)..], CultureInfo.InvariantCulture),
            Database = slash < 0 ? "postgres" : rest[(slash + 1)..],
            Username = config.GetValueOrDefault("connection.user"),
            Password = config.GetValueOrDefault("connection.password"),
            Pooling = true,
        };
        var table = new WindowTable(NpgsqlDataSource.Create(builder.ConnectionString), config["table.name.format"], uniqueCoordinates);
        await table.CreateAsync(cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>Inserts records in one transaction; with unique coordinates a record already there is skipped.</summary>
    public async Task InsertAsync(IReadOnlyCollection<SinkRecord> records, bool visible, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var batch = new NpgsqlBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    foreach (var record in records)
                    {
                        var command = new NpgsqlBatchCommand(
                            $"INSERT INTO {Name} (event_id, key, version, payload, topic, kafka_partition, kafka_offset, visible) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                            + (_uniqueCoordinates ? " ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING" : string.Empty));
                        var value = record.Value;
                        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value?["event_id"]?.GetValue<string>() ?? DBNull.Value });
                        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value?["key"]?.GetValue<string>() ?? DBNull.Value });
                        command.Parameters.Add(new NpgsqlParameter { Value = value?["version"] is { } version ? (object)version.GetValue<long>() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
                        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value?["payload"]?.GetValue<string>() ?? DBNull.Value });
                        command.Parameters.Add(new NpgsqlParameter { Value = record.OriginalTopic });
                        command.Parameters.Add(new NpgsqlParameter { Value = record.OriginalKafkaPartition });
                        command.Parameters.Add(new NpgsqlParameter { Value = record.OriginalKafkaOffset });
                        command.Parameters.Add(new NpgsqlParameter { Value = visible });
                        batch.BatchCommands.Add(command);
                    }

                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes every staged row visible in one statement; returns how many were.</summary>
    public async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var command = _dataSource.CreateCommand($"UPDATE {Name} SET visible = true WHERE NOT visible");
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Tasks of one connector start together; the advisory lock keeps two CREATE TABLEs from racing.
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var sql = $"SELECT pg_advisory_xact_lock(hashtext('{_table.Replace("'", "''", StringComparison.Ordinal)}')); "
                    + $"CREATE TABLE IF NOT EXISTS {Name} (event_id text, key text, version bigint, payload text, topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL, visible boolean NOT NULL DEFAULT true"
                    + (_uniqueCoordinates ? ", UNIQUE (topic, kafka_partition, kafka_offset))" : ")");
                var command = new NpgsqlCommand(sql, connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
