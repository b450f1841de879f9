using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using SinkIdempotency.Embedded;
using SinkIdempotency.Proxy;
using SinkIdempotency.Sink;
using SinkIdempotency.Targets;
using SinkIdempotency.Worker.Sinks.Postgres;

namespace SinkIdempotency.Worker.Tests.Sinks.Postgres;

/// <summary>The relational sink writing a real local MariaDB (chosen by a <c>jdbc:mysql://</c> or <c>jdbc:mariadb://</c> URL), read back through <see cref="MySqlTableReader"/>.</summary>
public sealed class MySqlSinkTaskTests(MySqlSinkTaskTests.Server server) : IClassFixture<MySqlSinkTaskTests.Server>
{
    private static readonly ConnectSchema ValueSchema = new()
    {
        Type = ConnectSchemaType.Struct,
        Fields =
        [
            new ConnectField("event_id", 0, new ConnectSchema { Type = ConnectSchemaType.String }),
            new ConnectField("name", 1, new ConnectSchema { Type = ConnectSchemaType.String, IsOptional = true }),
            new ConnectField("qty", 2, new ConnectSchema { Type = ConnectSchemaType.Int64 }),
            new ConnectField("at", 3, new ConnectSchema { Type = ConnectSchemaType.Int64, Name = "org.apache.kafka.connect.data.Timestamp" }),
        ],
    };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("mysql")]
    [InlineData("mariadb")]
    public async Task PutAsync_InsertWithoutKeyReplayed_DuplicatesEveryRecord(string scheme)
    {
        var table = Unique("ins");
        var task = await StartAsync(table, scheme, "insert", "none");
        var batch = Records(10);

        await task.PutAsync(batch, Token);
        await task.PutAsync(batch, Token);
        await task.StopAsync(Token);

        var rows = await ReadAsync(table);
        rows.Should().HaveCount(20);
        rows.GroupBy(r => r.EventId).Should().OnlyContain(g => g.Count() == 2, "a replayed insert lands a second row per record");
    }

    [Theory]
    [InlineData("kafka", null)]
    [InlineData("record_key", "k")]
    [InlineData("record_value", "event_id")]
    public async Task PutAsync_UpsertReplayed_WritesEachRecordOnce(string pkMode, string? pkFields)
    {
        var table = Unique("ups");
        var task = await StartAsync(table, "mysql", "upsert", pkMode, pkFields);
        var batch = Records(10);

        await task.PutAsync(batch, Token);
        await task.PutAsync(batch, Token);
        await task.StopAsync(Token);

        var rows = await ReadAsync(table, pkMode == "kafka");
        rows.Select(r => r.EventId).Should().BeEquivalentTo(batch.Select(r => r.Value!["event_id"]!.GetValue<string>()));
        if (pkMode == "kafka")
        {
            rows.Should().Contain(r => r.EventId == "e-7" && r.Source == new SinkIdempotency.Workload.SourcePosition("orders", 0, 7));
        }
    }

    [Fact]
    public async Task PutAsync_UpsertOfANewerValue_OverwritesTheRow()
    {
        var table = Unique("lww");
        var task = await StartAsync(table, "mysql", "upsert", "record_value", "event_id");

        await task.PutAsync([Record(0, "e-1", "old"), Record(1, "e-1", "new")], Token);
        await task.StopAsync(Token);

        (await ScalarAsync($"SELECT count(*) FROM `{table}`")).Should().Be(1L);
        (await ScalarAsync($"SELECT name FROM `{table}`")).Should().Be("new");
    }

    [Fact]
    public async Task StartAsync_AutoCreate_CreatesMySqlColumnTypes()
    {
        var table = Unique("ddl");
        var task = await StartAsync(table, "mysql", "upsert", "record_value", "event_id");
        await task.PutAsync(Records(1), Token);
        await task.StopAsync(Token);

        var types = new Dictionary<string, string>();
        await using var connection = new MySqlConnection(server.Instance.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand($"SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '{table}'", connection);
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            types[reader.GetString(0)] = reader.GetString(1);
        }

        types.Should().BeEquivalentTo(new Dictionary<string, string> { ["event_id"] = "varchar(256)", ["name"] = "text", ["qty"] = "bigint(20)", ["at"] = "datetime(3)" });
    }

    [Fact]
    public async Task PutAsync_DuplicateKeyInInsertMode_RollsBackWholePutAndRetries()
    {
        var table = Unique("rb");
        var task = await StartAsync(table, "mysql", "insert", "record_value", "event_id");
        await task.PutAsync([Record(0, "e-1", "first")], Token);

        var act = () => task.PutAsync([Record(1, "e-2", "fine"), Record(2, "e-1", "clash")], Token);

        await act.Should().ThrowAsync<RetriableException>();
        (await ScalarAsync($"SELECT count(*) FROM `{table}`")).Should().Be(1L, "one transaction per put: the good record of the failed put is rolled back");
    }

    [Fact]
    public async Task PutAsync_DurableReplyWithheldOnTheFirstPut_TimesOutOnTheCommitOfOneTransaction()
    {
        // The first put creates the table: MySQL commits at DDL, so rows written after it in the same transaction would
        // autocommit one by one, and a batch whose reply never came waited forever (MySqlBatch ignores the URL's timeout).
        await using var proxy = await TargetFaultProxy.StartAsync(
            new TargetFaultProxyOptions { TargetHost = server.Instance.Host, TargetPort = server.Instance.Port, Protocol = TargetWireProtocol.MySql }, Token);
        var table = Unique("gate");
        var task = await StartAsync(table, "mysql", "insert", "none", url: server.Instance.JdbcUrl(port: proxy.Port) + "&sslMode=DISABLED&socketTimeout=1000");
        proxy.WithholdNextDurableWriteReply();

        var act = () => task.PutAsync(Records(10), Token).WaitAsync(TimeSpan.FromSeconds(30), Token);

        await act.Should().ThrowAsync<RetriableException>("the withheld reply must time out as the URL's socketTimeout says");
        proxy.WithheldReplies.Should().ContainSingle().Which.Reply.Should().Contain("COMMIT");
        (await ScalarAsync($"SELECT count(*) FROM `{table}`")).Should().Be(10L, "the put's rows landed in its one transaction before the reply was withheld");
        await task.StopAsync(Token);
    }

    private static List<SinkRecord> Records(int count) => [.. Enumerable.Range(0, count).Select(i => Record(i, "e-" + i, "n" + i))];

    private static SinkRecord Record(long offset, string eventId, string name) =>
        new("orders", 0, ConnectSchema.OptionalString, JsonValue.Create("k" + eventId), ValueSchema, new JsonObject { ["event_id"] = eventId, ["name"] = name, ["qty"] = offset * 3, ["at"] = 1_700_000_000_000L + offset }, offset);

    private static string Unique(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..10];

    private async Task<PostgresSinkTask> StartAsync(string table, string scheme, string insertMode, string pkMode, string? pkFields = null, string? url = null)
    {
        var config = new Dictionary<string, string>
        {
            ["connection.url"] = url ?? server.Instance.JdbcUrl(scheme) + "&socketTimeout=30000",
            ["table.name.format"] = table,
            ["insert.mode"] = insertMode,
            ["pk.mode"] = pkMode,
            ["auto.create"] = "true",
            ["max.retries"] = "1",
            ["retry.backoff.ms"] = "100",
        };
        if (pkFields is not null)
        {
            config["pk.fields"] = pkFields;
        }

        var task = new PostgresSinkTask(NullLogger.Instance);
        task.Initialize(new SinkTestContext(config));
        await task.StartAsync(config, Token);
        return task;
    }

    private async Task<List<TargetRow>> ReadAsync(string table, bool kafkaColumns = false)
    {
        var reader = new MySqlTableReader(server.Instance.ConnectionString, new PostgreSqlTableMapping
        {
            Schema = await ScalarAsync("SELECT DATABASE()") as string ?? throw new InvalidOperationException("No database selected."),
            Table = table,
            TopicColumn = kafkaColumns ? "__connect_topic" : null,
            PartitionColumn = kafkaColumns ? "__connect_partition" : null,
            OffsetColumn = kafkaColumns ? "__connect_offset" : null,
        });
        var rows = new List<TargetRow>();
        await foreach (var row in reader.ReadRowsAsync(Token))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(server.Instance.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Token);
    }

    /// <summary>Shares one local MariaDB/MySQL server among the tests of the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private LocalMySql? _instance;

        public LocalMySql Instance => _instance ?? throw new InvalidOperationException("The fixture is not initialised.");

        public async ValueTask InitializeAsync() => _instance = await new LocalMySqlBuilder().StartAsync();

        public async ValueTask DisposeAsync()
        {
            if (_instance is not null)
            {
                await _instance.DisposeAsync();
            }
        }
    }
}
