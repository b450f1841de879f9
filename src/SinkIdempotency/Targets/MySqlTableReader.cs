using System.Runtime.CompilerServices;
using MySqlConnector;

namespace SinkIdempotency.Targets;

/// <summary>Reads a sink's MySQL or MariaDB table with one unbuffered <c>SELECT</c>, streaming rows without holding the table in memory.</summary>
/// <remarks>The mapping is the one <see cref="PostgreSqlTableReader"/> takes; its <see cref="PostgreSqlTableMapping.Schema"/> names the MySQL database.</remarks>
public sealed class MySqlTableReader : ITargetReader, ITargetRowCount
{
    private readonly string _connectionString;
    private readonly PostgreSqlTableMapping _mapping;

    /// <summary>Initializes a reader for one table.</summary>
    /// <param name="connectionString">A MySqlConnector connection string for the server.</param>
    /// <param name="mapping">Which columns hold the event id, key, version, content and source position; <c>Schema</c> is the database.</param>
    public MySqlTableReader(string connectionString, PostgreSqlTableMapping mapping)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(mapping);
        mapping.Validate();
        _connectionString = connectionString;
        _mapping = mapping;
        SelectCommand = TableRowColumns.Select(mapping, TableRowColumns.SqlDialect.MySql);
        Description = $"MySQL table {TableRowColumns.SqlDialect.MySql.Table(mapping)}";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Gets the <c>SELECT</c> the reader runs.</summary>
    /// <value>A <c>SELECT CAST(… AS CHAR), …</c> built from the mapping.</value>
    public string SelectCommand { get; }

    /// <inheritdoc />
    async Task<long> ITargetRowCount.CountRowsAsync(CancellationToken cancellationToken)
    {
        var sql = $"SELECT COUNT(*) FROM {TableRowColumns.SqlDialect.MySql.Table(_mapping)}" + (_mapping.Filter is null ? string.Empty : $" WHERE {_mapping.Filter}");
        var connection = new MySqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new MySqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TargetRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new MySqlCommand(SelectCommand, connection) { CommandTimeout = 0 };
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var hasKey = _mapping.KeyColumn is not null;
                    var hasVersion = _mapping.VersionColumn is not null;
                    var hasHash = _mapping.ValueHashColumn is not null;
                    var hasPayload = !hasHash && _mapping.PayloadColumn is not null;
                    var hasSource = _mapping.TopicColumn is not null;
                    var buffer = new byte[256];
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var i = 0;
                        var eventId = Text(reader, i++);
                        var key = hasKey ? Text(reader, i++) : null;
                        var version = hasVersion ? Int64(reader, i++) : null;
                        var hash = hasHash ? Int64(reader, i++) : null;
                        var payloadLength = 0;
                        var payloadPresent = false;
                        if (hasPayload)
                        {
                            payloadPresent = !reader.IsDBNull(i);
                            if (payloadPresent)
                            {
                                payloadLength = (int)reader.GetBytes(i, 0, null, 0, 0);
                                if (buffer.Length < payloadLength)
                                {
                                    buffer = new byte[Math.Max(payloadLength, buffer.Length * 2)];
                                }

                                reader.GetBytes(i, 0, buffer, 0, payloadLength);
                            }

                            i++;
                        }

                        string? topic = null;
                        int? partition = null;
                        long? offset = null;
                        if (hasSource)
                        {
                            topic = Text(reader, i++);
                            partition = Int64(reader, i++) is { } p ? checked((int)p) : null;
                            offset = Int64(reader, i++);
                        }

                        yield return TableRowColumns.ToRow(eventId, key, version, hash, buffer.AsSpan(0, payloadLength), payloadPresent, topic, partition, offset);
                    }
                }
            }
        }
    }

    private static string? Text(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? Int64(MySqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
