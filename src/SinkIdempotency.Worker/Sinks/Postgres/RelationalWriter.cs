using System.Data.Common;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Writes one <c>put</c> in one transaction: records grouped by table, statements batched up to <c>batch.size</c>,
/// tables created or evolved first when allowed (the JDBC sink's <c>JdbcDbWriter</c> + <c>BufferedRecords</c>), in the
/// SQL of the dialect the URL names.
/// </summary>
internal sealed class RelationalWriter(PostgresSinkConfig config) : IAsyncDisposable
{
    private readonly Dictionary<string, HashSet<string>> _knownColumns = [];
    private readonly Dictionary<DbBatchCommand, SinkRecord> _records = [];
    private DbConnection? _connection;

    private SqlDialect Dialect => config.Dialect;

    public async Task WriteAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var connection = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (Dialect.DdlEndsTransaction)
        {
            await PrepareTablesAsync(connection, records, cancellationToken).ConfigureAwait(false);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        foreach (var group in records.GroupBy(r => TableName(r.Topic)))
        {
            var table = group.Key;
            var batch = Dialect.CreateBatch(connection);
            batch.Transaction = transaction;
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

                    var command = Command(batch, table, shape, record);
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

    // Creates or evolves every table the put needs outside its transaction, so the transaction holds only the put's rows.
    private async Task PrepareTablesAsync(DbConnection connection, IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        foreach (var group in records.GroupBy(r => TableName(r.Topic)))
        {
            var shapes = group.Where(r => r.Value is not null || config.DeleteEnabled).Select(r => TableShape.Extract(config, group.Key, r)).DistinctBy(s => s.Signature);
            foreach (var shape in shapes)
            {
                await EnsureTableAsync(connection, null, group.Key, shape, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal string TableName(string topic) => config.TableNameFormat.Replace("${topic}", topic, StringComparison.Ordinal);

    private async Task FlushAsync(DbBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (e.BatchCommand is { } failed && _records.TryGetValue(failed, out var record))
        {
            throw new RecordRejectedException(record, e);
        }

        batch.BatchCommands.Clear();
        _records.Clear();
    }

    private DbBatchCommand Command(DbBatch batch, string table, TableShape shape, SinkRecord record)
    {
        var keyValues = shape.KeyColumns.Select((c, i) => Dialect.Parameter(c.Schema, shape.KeyValue(config, c, i, record))).ToList();
        var command = batch.CreateBatchCommand();
        if (record.Value is null)
        {
            command.CommandText = Dialect.Delete(table, shape);
            command.Parameters.AddRange(keyValues.ToArray());
            return command;
        }

        var valueValues = shape.ValueColumns.Select(c => Dialect.Parameter(c.Schema, record.Value[c.Name])).ToList();
        switch (config.InsertMode)
        {
            case InsertMode.Update:
                command.CommandText = Dialect.Update(table, shape);
                command.Parameters.AddRange(valueValues.Concat(keyValues).ToArray());
                return command;
            case InsertMode.Upsert:
                command.CommandText = Dialect.Upsert(table, shape);
                break;
            default:
                command.CommandText = Dialect.Insert(table, shape);
                break;
        }

        command.Parameters.AddRange(keyValues.Concat(valueValues).ToArray());
        return command;
    }

    private async Task<DbConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connection = Dialect.CreateConnection(config.ConnectionString);
        await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return _connection;
    }

    private async Task EnsureTableAsync(DbConnection connection, DbTransaction? transaction, string table, TableShape shape, CancellationToken cancellationToken)
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

                var create = Command(connection, transaction, Dialect.CreateTable(table, shape));
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

        var alter = Command(connection, transaction, Dialect.AddColumns(table, missing));
        await using var alterScope = alter.ConfigureAwait(false);
        await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var column in missing)
        {
            columns.Add(column.Name);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private async Task<HashSet<string>> ReadColumnsAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken)
    {
        var parts = table.Split('.');
        var command = Command(connection, transaction, Dialect.ColumnsQuery);
        await using var commandScope = command.ConfigureAwait(false);
        var name = command.CreateParameter();
        name.Value = parts[^1];
        var schema = command.CreateParameter();
        schema.DbType = System.Data.DbType.String;
        schema.Value = parts.Length > 1 ? parts[^2] : DBNull.Value;
        command.Parameters.Add(name);
        command.Parameters.Add(schema);
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
