using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>Upserts every record on its key (one row per key, last write wins), writing each batch in reverse offset order.</summary>
/// <remarks>
/// The defect, as in a sink that sorts or parallelises a batch before writing it: when a batch holds several versions of
/// a key, the oldest is written last and wins. Nothing fails and every offset is committed; the only trace is a row per
/// key that holds an older version than the newest one produced.
/// </remarks>
public sealed class NewestFirstUpsertSinkTask : SinkTask
{
    private NpgsqlConnection? _connection;
    private string _table = "";

    public override string Version => "0.1.0-test";

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        var settings = TableSinkConfig.Parse(config);
        _table = "\"" + settings.Table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        _connection = new NpgsqlConnection(settings.ConnectionString);
        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var create = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {_table} (key text PRIMARY KEY, event_id text, version bigint, payload text, kafka_partition integer, kafka_offset bigint)",
            _connection);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var transaction = await _connection!.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var record in records.OrderByDescending(r => r.KafkaOffset))
        {
            await using var command = new NpgsqlCommand(
                $"INSERT INTO {_table} (key, event_id, version, payload, kafka_partition, kafka_offset) VALUES ($1, $2, $3, $4, $5, $6) "
                + "ON CONFLICT (key) DO UPDATE SET event_id = EXCLUDED.event_id, version = EXCLUDED.version, payload = EXCLUDED.payload, kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset",
                _connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = Text(record.Value, "key") });
            command.Parameters.Add(new NpgsqlParameter { Value = Text(record.Value, "event_id") });
            command.Parameters.Add(new NpgsqlParameter { Value = record.Value?["version"] is JsonValue version ? version.GetValue<long>() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = Text(record.Value, "payload") });
            command.Parameters.Add(new NpgsqlParameter { Value = record.KafkaPartition });
            command.Parameters.Add(new NpgsqlParameter { Value = record.KafkaOffset });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static object Text(JsonNode? value, string name) => value?[name] is JsonValue field ? field.GetValue<string>() : DBNull.Value;
}
