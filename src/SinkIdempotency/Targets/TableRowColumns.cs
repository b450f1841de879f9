using System.Text;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets;

/// <summary>Turns a table mapping into the ordered select list every relational reader uses, and the values read back into a <see cref="TargetRow"/>.</summary>
/// <remarks>
/// The order is fixed: event id, key, version, value hash or payload bytes, topic, partition, offset; absent columns are
/// left out. Each dialect supplies only how a column is cast (<see cref="SqlDialect"/>) and how it reads one value.
/// </remarks>
internal static class TableRowColumns
{
    /// <summary>Builds <c>SELECT … FROM table [WHERE filter]</c> for a mapping in a dialect.</summary>
    public static string Select(PostgreSqlTableMapping mapping, SqlDialect dialect)
    {
        var columns = new List<string> { dialect.Text(mapping.EventIdColumn) };
        if (mapping.KeyColumn is not null)
        {
            columns.Add(dialect.Text(mapping.KeyColumn));
        }

        if (mapping.VersionColumn is not null)
        {
            columns.Add(dialect.Int64(mapping.VersionColumn));
        }

        if (mapping.ValueHashColumn is not null)
        {
            columns.Add(dialect.Int64(mapping.ValueHashColumn));
        }
        else if (mapping.PayloadColumn is not null)
        {
            columns.Add(dialect.Utf8Bytes(mapping.PayloadColumn));
        }

        if (mapping.TopicColumn is not null)
        {
            columns.Add(dialect.Text(mapping.TopicColumn));
            columns.Add(dialect.Int32(mapping.PartitionColumn!));
            columns.Add(dialect.Int64(mapping.OffsetColumn!));
        }

        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append(" FROM ").Append(dialect.Table(mapping));
        if (mapping.Filter is not null)
        {
            sql.Append(" WHERE ").Append(mapping.Filter);
        }

        return sql.ToString();
    }

    /// <summary>Builds a row from the values read in <see cref="Select"/>'s order; <paramref name="payload"/> is hashed when no hash column is mapped.</summary>
    public static TargetRow ToRow(string? eventId, string? key, long? version, long? storedHash, ReadOnlySpan<byte> payload, bool hasPayload, string? topic, int? partition, long? offset)
    {
        ulong? valueHash = storedHash is { } stored ? unchecked((ulong)stored) : hasPayload ? ValueHash.Compute(payload) : null;
        var source = topic is not null && partition is not null && offset is not null ? new SourcePosition(topic, partition.Value, offset.Value) : (SourcePosition?)null;
        return new TargetRow(eventId, key, version, valueHash, source);
    }

    /// <summary>Casts columns for one SQL dialect.</summary>
    /// <param name="Quote">Quotes an identifier.</param>
    /// <param name="TextType">The cast target for text.</param>
    /// <param name="Int64Type">The cast target for 64-bit integers.</param>
    /// <param name="Int32Type">The cast target for 32-bit integers.</param>
    /// <param name="Utf8BytesFormat">The expression giving a column's text as UTF-8 bytes, with <c>{0}</c> for the quoted column.</param>
    /// <param name="CastFormat">The cast expression, with <c>{0}</c> for the quoted column and <c>{1}</c> for the type.</param>
    internal sealed record SqlDialect(Func<string, string> Quote, string TextType, string Int64Type, string Int32Type, string Utf8BytesFormat, string CastFormat)
    {
        public static SqlDialect PostgreSql { get; } = new(
            identifier => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", "text", "bigint", "integer", "convert_to({0}::text, 'UTF8')", "{0}::{1}");

        public static SqlDialect MySql { get; } = new(
            identifier => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`", "CHAR", "SIGNED", "SIGNED", "CAST(CONVERT({0} USING utf8mb4) AS BINARY)", "CAST({0} AS {1})");

        public string Table(PostgreSqlTableMapping mapping) => $"{Quote(mapping.Schema)}.{Quote(mapping.Table)}";

        public string Text(string column) => Cast(column, TextType);

        public string Int64(string column) => Cast(column, Int64Type);

        public string Int32(string column) => Cast(column, Int32Type);

        public string Utf8Bytes(string column) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Utf8BytesFormat, Quote(column));

        private string Cast(string column, string type) => string.Format(System.Globalization.CultureInfo.InvariantCulture, CastFormat, Quote(column), type);
    }
}
