using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Writes one <c>put</c> in one transaction: records grouped by table, statements batched up to <c>batch.size</c>,
/// tables created or evolved first when allowed (the JDBC sink's <c>JdbcDbWriter</c> + <c>BufferedRecords</c>).
/// </summary>
internal sealed class PostgresWriter(PostgresSinkConfig config) : IAsyncDisposable
{
    private readonly Dictionary<string, HashSet<string>> _knownColumns = [];
    private readonly Dictionary<NpgsqlBatchCommand, SinkRecord> _records = [];
    private NpgsqlConnection? _connection;

    public async Task WriteAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        foreach (var group in records.GroupBy(r => TableName(r.Topic)))
        {
            var table = group.Key;
            var batch = new NpgsqlBatch(connection, transaction);
            try
            {
                string? lastSignature = null;
                foreach (var record in group)
                {
                    if (record.Value is null && !config.DeleteEnabled)
                    {
                        continue;
                    }

                    var shape = TableShape.Extract(config, table, record);
                    var signature = shape.Signature;
                    if (signature != lastSignature)
                    {
                        await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
                        await EnsureTableAsync(connection, transaction, table, shape, cancellationToken).ConfigureAwait(false);
                        lastSignature = signature;
                    }

                    var command = Command(table, shape, record);
                    _records[command] = record;
                    batch.BatchCommands.Add(command);
                    if (batch.BatchCommands.Count >= config.BatchSize)
                    {
                        await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
                    }
                }

                await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _records.Clear();
                await batch.DisposeAsync().ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        _knownColumns.Clear();
    }

    internal string TableName(string topic) => config.TableNameFormat.Replace("${topic}", topic, StringComparison.Ordinal);

    private async Task FlushAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.BatchCommand is { } failed && _records.TryGetValue(failed, out var record))
        {
            throw new RecordRejectedException(record, e);
        }

        batch.BatchCommands.Clear();
        _records.Clear();
    }

    private NpgsqlBatchCommand Command(string table, TableShape shape, SinkRecord record)
    {
        var keyValues = shape.KeyColumns.Select((c, i) => PostgresParameters.Create(c.Schema, shape.KeyValue(config, c, i, record))).ToList();
        if (record.Value is null)
        {
            var delete = new NpgsqlBatchCommand(PostgresSql.Delete(table, shape));
            delete.Parameters.AddRange(keyValues.ToArray());
            return delete;
        }

        var valueValues = shape.ValueColumns.Select(c => PostgresParameters.Create(c.Schema, record.Value[c.Name])).ToList();
        NpgsqlBatchCommand command;
        switch (config.InsertMode)
        {
            case InsertMode.Update:
                command = new NpgsqlBatchCommand(PostgresSql.Update(table, shape));
                command.Parameters.AddRange(valueValues.Concat(keyValues).ToArray());
                return command;
            case InsertMode.Upsert:
                command = new NpgsqlBatchCommand(PostgresSql.Upsert(table, shape));
                break;
            default:
                command = new NpgsqlBatchCommand(PostgresSql.Insert(table, shape));
                break;
        }

        command.Parameters.AddRange(keyValues.Concat(valueValues).ToArray());
        return command;
    }

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        // The failed statement of a batch names the record that caused it.
        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(config.ConnectionString) { IncludeFailedBatchedCommand = true }.ConnectionString);
        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    private async Task EnsureTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, TableShape shape, CancellationToken cancellationToken)
    {
        if (!_knownColumns.TryGetValue(table, out var columns))
        {
            columns = await ReadColumnsAsync(connection, transaction, table, cancellationToken).ConfigureAwait(false);
            if (columns.Count == 0)
            {
                if (!config.AutoCreate)
                {
                    throw new TableAlterOrCreateException($"Table \"{table}\" is missing and auto-creation is disabled");
                }

                var create = new NpgsqlCommand(PostgresSql.CreateTable(table, shape), connection, transaction);
                await using var createScope = create.ConfigureAwait(false);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                columns = [.. shape.AllColumns.Select(c => c.Name)];
            }

            _knownColumns[table] = columns;
        }

        var missing = shape.AllColumns.Where(c => !columns.Contains(c.Name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (!config.AutoEvolve)
        {
            throw new TableAlterOrCreateException(
                $"Table \"{table}\" is missing fields ({string.Join(", ", missing.Select(m => m.Name))}) and auto-evolution is disabled");
        }

        if (missing.Any(m => m.IsKey || (!m.Schema.IsOptional && m.Schema.DefaultValue is null)))
        {
            throw new TableAlterOrCreateException(
                $"Cannot ALTER TABLE \"{table}\" to add missing field {missing.First(m => m.IsKey || !m.Schema.IsOptional).Name}, as the field is not optional and does not have a default value");
        }

        var alter = new NpgsqlCommand(PostgresSql.AddColumns(table, missing), connection, transaction);
        await using var alterScope = alter.ConfigureAwait(false);
        await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var column in missing)
        {
            columns.Add(column.Name);
        }
    }

    private static async Task<HashSet<string>> ReadColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var parts = table.Split('.');
        var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())",
            connection,
            transaction);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = parts[^1] });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Length > 1 ? parts[^2] : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var columns = new HashSet<string>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
