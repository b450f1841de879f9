using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>
/// Writes each record on its own (autocommit) into a table keyed by the Kafka coordinates, so a redelivered record
/// overwrites its own row: idempotent. What it does when the target refuses a record is up to the subclass.
/// </summary>
public abstract class TableSinkTask : SinkTask
{
    private NpgsqlConnection? _connection;
    private string _table = "";

    public override string Version => "0.1.0-test";

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        var settings = TableSinkConfig.Parse(config);
        _table = settings.Table;
        _connection = new NpgsqlConnection(settings.ConnectionString);
        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // The columns carry the record's field names, as a JDBC sink's auto.create makes them. Tasks of one connector start
        // together: the advisory lock keeps two CREATE TABLEs from racing (PostgreSQL's IF NOT EXISTS does not).
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var create = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock(hashtext('{_table.Replace("'", "''", StringComparison.Ordinal)}')); "
            + $"CREATE TABLE IF NOT EXISTS {Quote(_table)} (kafka_topic text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL, "
            + "event_id text, key text, version bigint, seq bigint, payload text, PRIMARY KEY (kafka_topic, kafka_partition, kafka_offset))",
            _connection,
            transaction);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            try
            {
                await WriteAsync(record, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                await OnRefusedAsync(record, e).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Decides what happens to a record the target refused.</summary>
    protected abstract Task OnRefusedAsync(SinkRecord record, PostgresException error);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static object Field(JsonNode? value, string name) => value?[name] is JsonValue field ? field.GetValue<object>() switch
    {
        System.Text.Json.JsonElement element when element.ValueKind == System.Text.Json.JsonValueKind.Number => element.GetInt64(),
        System.Text.Json.JsonElement element when element.ValueKind == System.Text.Json.JsonValueKind.String => element.GetString()!,
        var other => other,
    } : DBNull.Value;

    private async Task WriteAsync(SinkRecord record, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {Quote(_table)} (kafka_topic, kafka_partition, kafka_offset, event_id, key, version, seq, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            + "ON CONFLICT (kafka_topic, kafka_partition, kafka_offset) DO UPDATE SET event_id = EXCLUDED.event_id, key = EXCLUDED.key, version = EXCLUDED.version, seq = EXCLUDED.seq, payload = EXCLUDED.payload",
            _connection);
        command.Parameters.Add(new NpgsqlParameter { Value = record.Topic });
        command.Parameters.Add(new NpgsqlParameter { Value = record.KafkaPartition });
        command.Parameters.Add(new NpgsqlParameter { Value = record.KafkaOffset });
        foreach (var name in new[] { "event_id", "key" })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Field(record.Value, name), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        }

        foreach (var name in new[] { "version", "seq" })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Field(record.Value, name), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        }

        command.Parameters.Add(new NpgsqlParameter { Value = Field(record.Value, "payload"), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
