using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using MySqlConnector;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>
/// Writes MySQL and MariaDB: backtick-quoted identifiers, <c>?</c> placeholders, <c>INSERT … ON DUPLICATE KEY UPDATE</c>
/// upserts, MySQL column types (the JDBC sink's <c>MySqlDatabaseDialect</c>), through MySqlConnector.
/// </summary>
/// <remarks>
/// <c>jdbc:mysql://</c> and <c>jdbc:mariadb://</c> URLs are read as Connector/J and MariaDB Connector/J read them:
/// <c>socketTimeout</c> and <c>connectTimeout</c> are milliseconds (pgjdbc's are seconds), <c>sslMode</c> is
/// <c>DISABLED</c>/<c>PREFERRED</c>/<c>REQUIRED</c>/<c>VERIFY_CA</c>/<c>VERIFY_IDENTITY</c> (default preferred), and
/// <c>allowPublicKeyRetrieval</c> lets <c>caching_sha2_password</c> fetch the server's RSA key without TLS (default false).
/// A socket timeout becomes MySqlConnector's command timeout (batches included), rounded up to whole seconds, and a
/// timed-out command drops the connection at once (no <c>KILL QUERY</c>), as a driver's socket timeout does. Tables are
/// created or altered before a put's transaction begins: MySQL commits the open transaction at DDL, after which the
/// put's rows would autocommit one statement at a time.
/// </remarks>
internal sealed class MySqlDialect : SqlDialect
{
    public static readonly MySqlDialect Instance = new();

    public override string Name => "MySql";

    public override string ColumnsQuery => "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = COALESCE(?, DATABASE())";

    public override string ConnectionString(string url, string? user, string? password)
    {
        var parsed = TargetUrl.Parse(url);
        var builder = new MySqlConnectionStringBuilder
        {
            Server = parsed.Host,
            Port = (uint)(parsed.Port ?? 3306),
            Database = parsed.Database,
            UserID = user is { Length: > 0 } ? user : parsed.User ?? "",
            Password = password is { Length: > 0 } ? password : parsed.Password ?? "",
            Pooling = false,
            CancellationTimeout = -1,
            DefaultCommandTimeout = 0,
        };
        foreach (var (key, value) in parsed.Parameters)
        {
            switch (key.ToLowerInvariant())
            {
                case "sockettimeout":
                    builder.DefaultCommandTimeout = (uint)Math.Ceiling(Milliseconds(key, value) / 1000.0);
                    break;
                case "connecttimeout":
                    builder.ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(Milliseconds(key, value) / 1000.0));
                    break;
                case "sslmode":
                    builder.SslMode = value.ToUpperInvariant() switch
                    {
                        "DISABLED" => MySqlSslMode.None,
                        "PREFERRED" => MySqlSslMode.Preferred,
                        "REQUIRED" => MySqlSslMode.Required,
                        "VERIFY_CA" => MySqlSslMode.VerifyCA,
                        "VERIFY_IDENTITY" => MySqlSslMode.VerifyFull,
                        _ => throw new FormatException($"sslMode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, not '{value}'."),
                    };
                    break;
                case "allowpublickeyretrieval":
                    builder.AllowPublicKeyRetrieval = value.ToUpperInvariant() switch
                    {
                        "TRUE" or "YES" => true,
                        "FALSE" or "NO" => false,
                        _ => throw new FormatException($"allowPublicKeyRetrieval must be true or false, not '{value}'."),
                    };
                    break;
                default:
                    break;
            }
        }

        return builder.ConnectionString;
    }

    public override DbConnection CreateConnection(string connectionString) => new MySqlConnection(connectionString);

    public override bool DdlEndsTransaction => true;

    // MySqlBatch.Timeout starts at 0 (no timeout) and ignores the connection's default command timeout, which MySqlCommand
    // and MySqlTransaction use: without this a batch whose reply never comes waits forever.
    public override DbBatch CreateBatch(DbConnection connection)
    {
        var batch = connection.CreateBatch();
        batch.Timeout = (int)new MySqlConnectionStringBuilder(connection.ConnectionString).DefaultCommandTimeout;
        return batch;
    }

    public override DbParameter Parameter(ConnectSchema schema, JsonNode? value) => new MySqlParameter
    {
        MySqlDbType = schema.Name switch
        {
            "org.apache.kafka.connect.data.Timestamp" => MySqlDbType.DateTime,
            "org.apache.kafka.connect.data.Date" => MySqlDbType.Date,
            "org.apache.kafka.connect.data.Time" => MySqlDbType.Time,
            "org.apache.kafka.connect.data.Decimal" => MySqlDbType.NewDecimal,
            _ => schema.Type switch
            {
                ConnectSchemaType.Int8 => MySqlDbType.Byte,
                ConnectSchemaType.Int16 => MySqlDbType.Int16,
                ConnectSchemaType.Int32 => MySqlDbType.Int32,
                ConnectSchemaType.Int64 => MySqlDbType.Int64,
                ConnectSchemaType.Float32 => MySqlDbType.Float,
                ConnectSchemaType.Float64 => MySqlDbType.Double,
                ConnectSchemaType.Boolean => MySqlDbType.Bool,
                ConnectSchemaType.String => MySqlDbType.VarChar,
                ConnectSchemaType.Bytes => MySqlDbType.VarBinary,
                _ => throw NoMapping(schema),
            },
        },
        Value = schema.Type == ConnectSchemaType.Int8 && value is not null ? (sbyte)(short)ConnectValues.ToClr(schema, value) : ConnectValues.ToClr(schema, value),
    };

    public override bool IsSqlError(Exception exception) =>
        exception is MySqlException || (exception is InvalidOperationException && exception.InnerException is MySqlException);

    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string Placeholder(int position) => "?";

    public override string SqlType(ConnectSchema schema, bool isKey) => schema.Name switch
    {
        "org.apache.kafka.connect.data.Decimal" => string.Create(CultureInfo.InvariantCulture, $"DECIMAL(65,{(schema.Parameters.TryGetValue("scale", out var scale) ? int.Parse(scale, CultureInfo.InvariantCulture) : 0)})"),
        "org.apache.kafka.connect.data.Date" => "DATE",
        "org.apache.kafka.connect.data.Time" => "TIME(3)",
        "org.apache.kafka.connect.data.Timestamp" => "DATETIME(3)",
        _ => schema.Type switch
        {
            ConnectSchemaType.Int8 => "TINYINT",
            ConnectSchemaType.Int16 => "SMALLINT",
            ConnectSchemaType.Int32 => "INT",
            ConnectSchemaType.Int64 => "BIGINT",
            ConnectSchemaType.Float32 => "FLOAT",
            ConnectSchemaType.Float64 => "DOUBLE",
            ConnectSchemaType.Boolean => "TINYINT",
            // MySQL indexes only a bounded prefix of TEXT and BLOB, so key columns get bounded types.
            ConnectSchemaType.String => isKey ? "VARCHAR(256)" : "TEXT",
            ConnectSchemaType.Bytes => isKey ? "VARBINARY(1024)" : "BLOB",
            _ => throw NoMapping(schema),
        },
    };

    protected override string UpsertClause(TableShape shape) =>
        " ON DUPLICATE KEY UPDATE "
        + (shape.ValueColumns.Count == 0
            ? $"{Quote(shape.KeyColumns[0].Name)}={Quote(shape.KeyColumns[0].Name)}"
            : string.Join(",", shape.ValueColumns.Select(c => $"{Quote(c.Name)}=VALUES({Quote(c.Name)})")));

    private static double Milliseconds(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new FormatException($"The MySQL URL parameter {key} must be a whole number of milliseconds, not '{value}'.");
}
