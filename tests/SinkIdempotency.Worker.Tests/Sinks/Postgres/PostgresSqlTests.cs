using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Postgres;

namespace SinkIdempotency.Worker.Tests.Sinks.Postgres;

public sealed class PostgresSqlTests
{
    private static readonly ConnectSchema Int32 = new() { Type = ConnectSchemaType.Int32 };
    private static readonly ConnectSchema OptionalString = new() { Type = ConnectSchemaType.String, IsOptional = true };

    private static readonly TableShape Shape = new(
        [new ColumnSpec("id", Int32, true)],
        [new ColumnSpec("name", OptionalString, false), new ColumnSpec("qty", Int32, false)]);

    [Fact]
    public void Insert_QuotesIdentifiersAndNumbersParameters()
    {
        PostgreSqlDialect.Instance.Insert("orders", Shape).Should().Be("INSERT INTO \"orders\" (\"id\",\"name\",\"qty\") VALUES ($1,$2,$3)");
    }

    [Fact]
    public void Upsert_WithValueColumns_UpdatesFromExcluded()
    {
        PostgreSqlDialect.Instance.Upsert("orders", Shape).Should().Be(
            "INSERT INTO \"orders\" (\"id\",\"name\",\"qty\") VALUES ($1,$2,$3) ON CONFLICT (\"id\") DO UPDATE SET \"name\"=EXCLUDED.\"name\",\"qty\"=EXCLUDED.\"qty\"");
    }

    [Fact]
    public void Upsert_KeyOnly_DoesNothingOnConflict()
    {
        PostgreSqlDialect.Instance.Upsert("s.t", new TableShape([new ColumnSpec("id", Int32, true)], []))
            .Should().Be("INSERT INTO \"s\".\"t\" (\"id\") VALUES ($1) ON CONFLICT (\"id\") DO NOTHING");
    }

    [Fact]
    public void Upsert_NoKey_ThrowsNamingTheConfiguration()
    {
        var act = () => PostgreSqlDialect.Instance.Upsert("t", new TableShape([], [new ColumnSpec("name", OptionalString, false)]));

        act.Should().Throw<ConnectException>().WithMessage("Write to table 't' in UPSERT mode requires key field names to be known, check the primary key configuration");
    }

    [Fact]
    public void Update_ValuesThenKeys()
    {
        PostgreSqlDialect.Instance.Update("orders", Shape).Should().Be("UPDATE \"orders\" SET \"name\" = $1, \"qty\" = $2 WHERE \"id\" = $3");
    }

    [Fact]
    public void CreateTable_MapsTypesNullabilityAndPrimaryKey()
    {
        var shape = new TableShape(
            [new ColumnSpec("__connect_topic", new ConnectSchema { Type = ConnectSchemaType.String }, true), new ColumnSpec("__connect_offset", new ConnectSchema { Type = ConnectSchemaType.Int64 }, true)],
            [
                new ColumnSpec("name", OptionalString, false),
                new ColumnSpec("price", new ConnectSchema { Type = ConnectSchemaType.Float64 }, false),
                new ColumnSpec("at", new ConnectSchema { Type = ConnectSchemaType.Int64, Name = "org.apache.kafka.connect.data.Timestamp", IsOptional = true }, false),
            ]);

        PostgreSqlDialect.Instance.CreateTable("orders", shape).Should().Be(
            "CREATE TABLE \"orders\" (\n\"__connect_topic\" TEXT NOT NULL,\n\"__connect_offset\" BIGINT NOT NULL,\n\"name\" TEXT NULL,\n\"price\" DOUBLE PRECISION NOT NULL,\n\"at\" TIMESTAMP NULL,\nPRIMARY KEY(\"__connect_topic\",\"__connect_offset\"))");
    }

    [Fact]
    public void Quote_EmbeddedQuote_IsDoubled()
    {
        PostgreSqlDialect.Instance.Quote("we\"ird").Should().Be("\"we\"\"ird\"");
    }

    [Theory]
    [InlineData("jdbc:postgresql://db.example:6543/shop?user=u&password=p%40ss", "db.example", 6543, "shop", "u", "p@ss")]
    [InlineData("jdbc:postgresql://localhost/app", "localhost", 5432, "app", null, null)]
    [InlineData("postgresql://alice:secret@127.0.0.1:5433/x", "127.0.0.1", 5433, "x", "alice", "secret")]
    [InlineData("Host=h;Port=7;Database=d;Username=n", "h", 7, "d", "n", null)]
    public void JdbcUrl_Forms_ConvertToNpgsql(string url, string host, int port, string database, string? user, string? password)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(JdbcUrl.ToConnectionString(url, null, null));

        builder.Host.Should().Be(host);
        builder.Port.Should().Be(port);
        builder.Database.Should().Be(database);
        builder.Username.Should().Be(user);
        builder.Password.Should().Be(password);
    }

    [Fact]
    public void JdbcUrl_SocketAndConnectTimeout_BecomeNpgsqlTimeoutsThatDropTheConnection()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(JdbcUrl.ToConnectionString("jdbc:postgresql://h:1/d?socketTimeout=3&connectTimeout=4", null, null));

        builder.CommandTimeout.Should().Be(3);
        builder.CancellationTimeout.Should().Be(-1, "pgjdbc closes the connection on a socket timeout; it does not wait for a cancel");
        builder.Timeout.Should().Be(4);
    }

    [Fact]
    public void JdbcUrl_SocketTimeoutNotANumber_SaysWhatToChange()
    {
        var act = () => JdbcUrl.ToConnectionString("jdbc:postgresql://h:1/d?socketTimeout=soon", null, null);

        act.Should().Throw<FormatException>().WithMessage("*socketTimeout must be a whole number of seconds, not 'soon'*");
    }

    [Fact]
    public void JdbcUrl_UserAndPasswordSettings_OverrideUrl()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(JdbcUrl.ToConnectionString("jdbc:postgresql://h:1/d?user=a", "b", "pw"));

        builder.Username.Should().Be("b");
        builder.Password.Should().Be("pw");
    }

    [Fact]
    public void Config_Defaults_MatchJdbcSink()
    {
        var config = PostgresSinkConfig.Parse(new Dictionary<string, string> { ["connection.url"] = "jdbc:postgresql://h:1/d" });

        config.InsertMode.Should().Be(InsertMode.Insert);
        config.PkMode.Should().Be(PkMode.None);
        config.TableNameFormat.Should().Be("${topic}");
        config.AutoCreate.Should().BeFalse();
        config.BatchSize.Should().Be(3000);
        config.MaxRetries.Should().Be(10);
        config.RetryBackoffMs.Should().Be(3000);
    }

    [Fact]
    public void Config_KafkaModeDefaults_UseConnectCoordinateColumns()
    {
        var config = PostgresSinkConfig.Parse(new Dictionary<string, string> { ["connection.url"] = "jdbc:postgresql://h:1/d", ["pk.mode"] = "kafka" });

        config.PkFields.Should().Equal("__connect_topic", "__connect_partition", "__connect_offset");
    }

    [Fact]
    public void Config_DeleteWithoutRecordKey_Throws()
    {
        var act = () => PostgresSinkConfig.Parse(new Dictionary<string, string> { ["connection.url"] = "jdbc:postgresql://h:1/d", ["delete.enabled"] = "true" });

        act.Should().Throw<ConfigException>().WithMessage("Primary key mode must be 'record_key' when delete support is enabled");
    }
}
