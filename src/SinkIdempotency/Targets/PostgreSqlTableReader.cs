using System.Runtime.CompilerServices;
using Npgsql;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets;

/// <summary>Reads a sink's PostgreSQL table with one binary <c>COPY ... TO STDOUT</c>, streaming rows without buffering the table.</summary>
public sealed class PostgreSqlTableReader : ITargetReader, ITargetRowCount
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlTableMapping _mapping;
    private readonly string _copyCommand;

    /// <summary>Initializes a reader for one table.</summary>
    /// <param name="dataSource">The data source connections are opened from; the reader does not dispose it.</param>
    /// <param name="mapping">Which columns hold the event id, key, version, content and source position.</param>
    public PostgreSqlTableReader(NpgsqlDataSource dataSource, PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(mapping);
        mapping.Validate();
        _dataSource = dataSource;
        _mapping = mapping;
        _copyCommand = BuildCopyCommand(mapping);
        Description = $"PostgreSQL table {QualifiedName(mapping)}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Gets the <c>COPY</c> command the reader runs.</summary>
    /// <value>A <c>COPY (SELECT ...) TO STDOUT (FORMAT BINARY)</c> command built from the mapping.</value>
    public string CopyCommand => _copyCommand;

    /// <summary>Counts the rows of the table (after the mapping's filter) with <c>SELECT count(*)</c>.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of rows.</returns>
    public async Task<long> CountRowsAsync(CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT count(*) FROM {QualifiedName(_mapping)}" + (_mapping.Filter is null ? string.Empty : $" WHERE {_mapping.Filter}");
        var command = _dataSource.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc />
    Task<long> ITargetRowCount.CountRowsAsync(CancellationToken cancellationToken) => CountRowsAsync(cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var exporter = await connection.BeginBinaryExportAsync(_copyCommand, cancellationToken).ConfigureAwait(false);
            await using (exporter.ConfigureAwait(false))
            {
                var hasKey = _mapping.KeyColumn is not null;
                var hasVersion = _mapping.VersionColumn is not null;
                var hasHash = _mapping.ValueHashColumn is not null;
                var hasPayload = _mapping.PayloadColumn is not null;
                var hasSource = _mapping.TopicColumn is not null;
                while (await exporter.StartRowAsync(cancellationToken).ConfigureAwait(false) != -1)
                {
                    var eventId = await ReadTextAsync(exporter, cancellationToken).ConfigureAwait(false);
                    var key = hasKey ? await ReadTextAsync(exporter, cancellationToken).ConfigureAwait(false) : null;
                    var version = hasVersion ? await ReadInt64Async(exporter, cancellationToken).ConfigureAwait(false) : null;
                    ulong? valueHash = null;
                    if (hasHash)
                    {
                        valueHash = await ReadInt64Async(exporter, cancellationToken).ConfigureAwait(false) is { } stored ? unchecked((ulong)stored) : null;
                    }
                    else if (hasPayload)
                    {
                        valueHash = await ReadPayloadHashAsync(exporter, cancellationToken).ConfigureAwait(false);
                    }

                    SourcePosition? source = null;
                    if (hasSource)
                    {
                        var topic = await ReadTextAsync(exporter, cancellationToken).ConfigureAwait(false);
                        var partition = exporter.IsNull ? (int?)null : await exporter.ReadAsync<int>(cancellationToken).ConfigureAwait(false);
                        if (partition is null)
                        {
                            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
                        }

                        var offset = await ReadInt64Async(exporter, cancellationToken).ConfigureAwait(false);
                        if (topic is not null && partition is not null && offset is not null)
                        {
                            source = new SourcePosition(topic, partition.Value, offset.Value);
                        }
                    }

                    yield return new TargetRow(eventId, key, version, valueHash, source);
                }
            }
        }
    }

    private static async ValueTask<string?> ReadTextAsync(NpgsqlBinaryExporter exporter, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        return await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<long?> ReadInt64Async(NpgsqlBinaryExporter exporter, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        return await exporter.ReadAsync<long>(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<ulong?> ReadPayloadHashAsync(NpgsqlBinaryExporter exporter, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        // Text columns arrive in binary COPY as their UTF-8 bytes, so the bytes are hashed as they are.
        var bytes = await exporter.ReadAsync<byte[]>(NpgsqlTypes.NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        return ValueHash.Compute(bytes);
    }

    private static string BuildCopyCommand(PostgreSqlTableMapping mapping) =>
        $"COPY ({TableRowColumns.Select(mapping, TableRowColumns.SqlDialect.PostgreSql)}) TO STDOUT (FORMAT BINARY)";

    private static string QualifiedName(PostgreSqlTableMapping mapping) => TableRowColumns.SqlDialect.PostgreSql.Table(mapping);
}
