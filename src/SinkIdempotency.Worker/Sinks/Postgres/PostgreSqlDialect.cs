using System.Data.Common;
using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Writes PostgreSQL: double-quoted identifiers, <c>$n</c> placeholders, <c>ON CONFLICT … DO UPDATE</c> upserts (the JDBC sink's <c>PostgreSqlDatabaseDialect</c>).</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    public override string Name => "PostgreSql";

    public override string ColumnsQuery => "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())";

    public override string ConnectionString(string url, string? user, string? password) =>
        // The failed statement of a batch names the record that caused it.
        new NpgsqlConnectionStringBuilder(JdbcUrl.ToConnectionString(url, user, password)) { IncludeFailedBatchedCommand = true }.ConnectionString;

    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    public override DbParameter Parameter(ConnectSchema schema, JsonNode? value) => PostgresParameters.Create(schema, value);

    public override bool IsSqlError(Exception exception) =>
        exception is NpgsqlException || (exception is InvalidOperationException && exception.InnerException is NpgsqlException);

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string Placeholder(int position) => "$" + position;

    public override string SqlType(ConnectSchema schema, bool isKey) => schema.Name switch
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
            ConnectSchemaType.Array when schema.ValueSchema is { } item => SqlType(item, isKey) + "[]",
            _ => throw NoMapping(schema),
        },
    };

    protected override string UpsertClause(TableShape shape) =>
        $" ON CONFLICT ({string.Join(",", shape.KeyColumns.Select(c => Quote(c.Name)))})"
        + (shape.ValueColumns.Count == 0 ? " DO NOTHING" : " DO UPDATE SET " + string.Join(",", shape.ValueColumns.Select(c => $"{Quote(c.Name)}=EXCLUDED.{Quote(c.Name)}")));
}
