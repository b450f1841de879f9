using MySqlConnector;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Postgres;

namespace SinkIdempotency.Worker.Tests.Sinks.Postgres;

public sealed class MySqlDialectTests
{
    private static readonly ConnectSchema Int32 = new() { Type = ConnectSchemaType.Int32 };
    private static readonly ConnectSchema OptionalString = new() { Type = ConnectSchemaType.String, IsOptional = true };

    private static readonly TableShape Shape = new(
        [new ColumnSpec("id", Int32, true)],
        [new ColumnSpec("name", OptionalString, false), new ColumnSpec("qty", Int32, false)]);

    [Theory]
    [InlineData("jdbc:mysql://db:3306/shop", typeof(MySqlDialect))]
    [InlineData("jdbc:mariadb://db/shop", typeof(MySqlDialect))]
    [InlineData("JDBC:MySQL://db/shop", typeof(MySqlDialect))]
    [InlineData("jdbc:postgresql://db/shop", typeof(PostgreSqlDialect))]
    [InlineData("Host=db;Database=shop", typeof(PostgreSqlDialect))]
    public void ForUrl_Subprotocol_PicksTheDialect(string url, Type expected)
    {
        SqlDialect.ForUrl(url).Should().BeOfType(expected);
    }

    [Fact]
    public void ForUrl_UnknownSubprotocol_ThrowsNamingTheSupportedOnes()
    {
        var act = () => SqlDialect.ForUrl("jdbc:sqlserver://db:1433;databaseName=shop");

        act.Should().Throw<ArgumentException>().WithMessage("*'sqlserver'*jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://*");
    }

    [Fact]
    public void Upsert_WithValueColumns_UpdatesOnDuplicateKeyWithBackticks()
    {
        MySqlDialect.Instance.Upsert("shop.orders", Shape).Should().Be(
            "INSERT INTO `shop`.`orders` (`id`,`name`,`qty`) VALUES (?,?,?) ON DUPLICATE KEY UPDATE `name`=VALUES(`name`),`qty`=VALUES(`qty`)");
    }

    [Fact]
    public void Upsert_KeyOnly_LeavesTheRowAsItIs()
    {
        MySqlDialect.Instance.Upsert("t", new TableShape([new ColumnSpec("id", Int32, true)], []))
            .Should().Be("INSERT INTO `t` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id`=`id`");
    }

    [Fact]
    public void Quote_Backtick_IsDoubled()
    {
        MySqlDialect.Instance.Quote("a`b").Should().Be("`a``b`");
    }

    [Fact]
    public void CreateTable_StringKey_IsBoundedVarchar()
    {
        var shape = new TableShape(
            [new ColumnSpec("k", new ConnectSchema { Type = ConnectSchemaType.String }, true)],
            [new ColumnSpec("body", OptionalString, false), new ColumnSpec("raw", new ConnectSchema { Type = ConnectSchemaType.Bytes, IsOptional = true }, false), new ColumnSpec("ok", new ConnectSchema { Type = ConnectSchemaType.Boolean }, false)]);

        MySqlDialect.Instance.CreateTable("t", shape).Should().Be("CREATE TABLE `t` (\n`k` VARCHAR(256) NOT NULL,\n`body` TEXT NULL,\n`raw` BLOB NULL,\n`ok` TINYINT NOT NULL,\nPRIMARY KEY(`k`))");
    }

    [Fact]
    public void SqlType_Array_ThrowsNamingTheDialect()
    {
        var act = () => MySqlDialect.Instance.SqlType(new ConnectSchema { Type = ConnectSchemaType.Array, ValueSchema = Int32 }, isKey: false);

        act.Should().Throw<ConnectException>().WithMessage("ARRAY (MySql) type doesn't have a mapping*");
    }

    [Fact]
    public void ConnectionString_ConnectorJTimeouts_AreMillisecondsRoundedUpToSeconds()
    {
        var builder = new MySqlConnectionStringBuilder(MySqlDialect.Instance.ConnectionString("jdbc:mysql://db:3307/shop?user=app&socketTimeout=2500&connectTimeout=1000&sslMode=DISABLED", null, "secret"));

        builder.Server.Should().Be("db");
        builder.Port.Should().Be(3307u);
        builder.Database.Should().Be("shop");
        builder.UserID.Should().Be("app");
        builder.Password.Should().Be("secret");
        builder.DefaultCommandTimeout.Should().Be(3u);
        builder.ConnectionTimeout.Should().Be(1u);
        builder.SslMode.Should().Be(MySqlSslMode.None);
        builder.CancellationTimeout.Should().Be(-1, "a timed-out command drops the connection, as a driver's socket timeout does");
    }

    [Theory]
    [InlineData("allowPublicKeyRetrieval=true", true)]
    [InlineData("allowPublicKeyRetrieval=YES", true)]
    [InlineData("allowPublicKeyRetrieval=false", false)]
    [InlineData("sslMode=DISABLED", false)]
    public void ConnectionString_AllowPublicKeyRetrieval_IsReadAsConnectorJReadsIt(string query, bool expected)
    {
        var builder = new MySqlConnectionStringBuilder(MySqlDialect.Instance.ConnectionString("jdbc:mysql://db:3307/shop?" + query, "app", "secret"));

        builder.AllowPublicKeyRetrieval.Should().Be(expected);
    }

    [Fact]
    public void ConnectionString_AllowPublicKeyRetrievalNotABoolean_SaysWhatItMustBe()
    {
        var act = () => MySqlDialect.Instance.ConnectionString("jdbc:mysql://db:3307/shop?allowPublicKeyRetrieval=maybe", "app", null);

        act.Should().Throw<FormatException>().WithMessage("allowPublicKeyRetrieval must be true or false, not 'maybe'.");
    }

    [Fact]
    public void CreateBatch_SocketTimeoutInTheUrl_BatchTimesOutAsCommandsDo()
    {
        using var connection = MySqlDialect.Instance.CreateConnection(MySqlDialect.Instance.ConnectionString("jdbc:mysql://db:3307/shop?socketTimeout=2500", "app", null));

        using var batch = MySqlDialect.Instance.CreateBatch(connection);

        batch.Timeout.Should().Be(3, "MySqlBatch starts without a timeout and would wait forever for a withheld reply");
        MySqlDialect.Instance.DdlEndsTransaction.Should().BeTrue();
    }

    [Fact]
    public void ConnectionString_SocketTimeoutNotANumber_ThrowsNamingTheUnit()
    {
        var act = () => MySqlDialect.Instance.ConnectionString("jdbc:mariadb://db/shop?socketTimeout=3s", null, null);

        act.Should().Throw<FormatException>().WithMessage("*socketTimeout must be a whole number of milliseconds, not '3s'*");
    }
}
