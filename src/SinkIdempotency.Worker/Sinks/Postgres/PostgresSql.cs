using System.Text;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Builds the statements the JDBC sink's PostgreSQL dialect issues (quoted identifiers, <c>ON CONFLICT</c> upserts, CREATE/ALTER).</summary>
internal static class PostgresSql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string QuoteTable(string table) => string.Join(".", table.Split('.').Select(Quote));

    public static string Insert(string table, TableShape shape)
    {
        var columns = shape.AllColumns.ToList();
        return $"INSERT INTO {QuoteTable(table)} ({string.Join(",", columns.Select(c => Quote(c.Name)))}) VALUES ({Placeholders(columns.Count, 1)})";
    }

    public static string Upsert(string table, TableShape shape)
    {
        if (shape.KeyColumns.Count == 0)
        {
            throw new ConnectException($"Write to table '{table}' in UPSERT mode requires key field names to be known, check the primary key configuration");
        }

        var builder = new StringBuilder(Insert(table, shape));
        builder.Append(" ON CONFLICT (").Append(string.Join(",", shape.KeyColumns.Select(c => Quote(c.Name)))).Append(')');
        if (shape.ValueColumns.Count == 0)
        {
            builder.Append(" DO NOTHING");
        }
        else
        {
            builder.Append(" DO UPDATE SET ").Append(string.Join(",", shape.ValueColumns.Select(c => $"{Quote(c.Name)}=EXCLUDED.{Quote(c.Name)}")));
        }

        return builder.ToString();
    }

    /// <summary>Builds an UPDATE whose parameters are the value columns first, then the key columns.</summary>
    public static string Update(string table, TableShape shape)
    {
        if (shape.KeyColumns.Count == 0)
        {
            throw new ConnectException($"Write to table '{table}' in UPDATE mode requires key field names to be known, check the primary key configuration");
        }

        var n = 1;
        var set = string.Join(", ", shape.ValueColumns.Select(c => $"{Quote(c.Name)} = ${n++}"));
        var where = string.Join(" AND ", shape.KeyColumns.Select(c => $"{Quote(c.Name)} = ${n++}"));
        return $"UPDATE {QuoteTable(table)} SET {set} WHERE {where}";
    }

    public static string Delete(string table, TableShape shape)
    {
        var n = 1;
        return $"DELETE FROM {QuoteTable(table)} WHERE {string.Join(" AND ", shape.KeyColumns.Select(c => $"{Quote(c.Name)} = ${n++}"))}";
    }

    public static string CreateTable(string table, TableShape shape)
    {
        var builder = new StringBuilder("CREATE TABLE ").Append(QuoteTable(table)).Append(" (\n");
        builder.Append(string.Join(",\n", shape.AllColumns.Select(ColumnDefinition)));
        if (shape.KeyColumns.Count > 0)
        {
            builder.Append(",\nPRIMARY KEY(").Append(string.Join(",", shape.KeyColumns.Select(c => Quote(c.Name)))).Append(')');
        }

        return builder.Append(')').ToString();
    }

    public static string AddColumns(string table, IEnumerable<ColumnSpec> columns) =>
        $"ALTER TABLE {QuoteTable(table)} " + string.Join(", ", columns.Select(c => "ADD " + ColumnDefinition(c with { Schema = new ConnectSchema { Type = c.Schema.Type, Name = c.Schema.Name, IsOptional = true, Parameters = c.Schema.Parameters } })));

    public static string ColumnDefinition(ColumnSpec column) =>
        $"{Quote(column.Name)} {SqlType(column.Schema)}{(column.IsKey || !column.Schema.IsOptional ? " NOT NULL" : " NULL")}";

    public static string SqlType(ConnectSchema schema) => schema.Name switch
    {
        "org.apache.kafka.connect.data.Decimal" => "DECIMAL",
        "org.apache.kafka.connect.data.Date" => "DATE",
        "org.apache.kafka.connect.data.Time" => "TIME",
        "org.apache.kafka.connect.data.Timestamp" => "TIMESTAMP",
        _ => schema.Type switch
        {
            ConnectSchemaType.Int8 or ConnectSchemaType.Int16 => "SMALLINT",
            ConnectSchemaType.Int32 => "INT",
            ConnectSchemaType.Int64 => "BIGINT",
            ConnectSchemaType.Float32 => "REAL",
            ConnectSchemaType.Float64 => "DOUBLE PRECISION",
            ConnectSchemaType.Boolean => "BOOLEAN",
            ConnectSchemaType.String => "TEXT",
            ConnectSchemaType.Bytes => "BYTEA",
            ConnectSchemaType.Array when schema.ValueSchema is { } item => SqlType(item) + "[]",
            _ => throw new ConnectException($"{schema.Type.ToString().ToUpperInvariant()} (PostgreSql) type doesn't have a mapping to the SQL database column type"),
        },
    };

    private static string Placeholders(int count, int first) => string.Join(",", Enumerable.Range(first, count).Select(i => "$" + i));
}
