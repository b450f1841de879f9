using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Tests.Sinks;
using SinkIdempotency.Worker.Sinks.Postgres;
using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Sinks.Postgres;

/// <summary>The PostgreSQL sink against a real local PostgreSQL, driven directly through the sink contract.</summary>
[Collection(WorkerCollection.Name)]
public sealed class PostgresSinkTaskTests(WorkerEnvironment env)
{
    private static readonly ConnectSchema ValueSchema = new()
    {
        Type = ConnectSchemaType.Struct,
        Fields =
        [
            new ConnectField("id", 0, new ConnectSchema { Type = ConnectSchemaType.Int32 }),
            new ConnectField("name", 1, new ConnectSchema { Type = ConnectSchemaType.String, IsOptional = true }),
        ],
    };

    private static SinkRecord Record(string topic, long offset, int id, string name) =>
        new(topic, 0, ConnectSchema.OptionalString, JsonValue.Create("k" + id), ValueSchema, new JsonObject { ["id"] = id, ["name"] = name }, offset);

    private async Task<PostgresSinkTask> StartAsync(string table, string insertMode, string pkMode, string? pkFields = null, string? url = null, ISinkTaskContext? context = null)
    {
        var task = new PostgresSinkTask(NullLogger.Instance);
        task.Initialize(context ?? new StubContext());
        var config = new Dictionary<string, string>
        {
            ["connection.url"] = url ?? env.JdbcUrl,
            ["connection.user"] = "postgres",
            ["table.name.format"] = table,
            ["insert.mode"] = insertMode,
            ["pk.mode"] = pkMode,
            ["auto.create"] = "true",
            ["max.retries"] = "2",
            ["retry.backoff.ms"] = "250",
        };
        if (pkFields is not null)
        {
            config["pk.fields"] = pkFields;
        }

        await task.StartAsync(config, CancellationToken.None);
        return task;
    }

    [Fact]
    public async Task PutAsync_UpsertKafkaModeReplayed_WritesEachCoordinateOnce()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("upsert");
        var task = await StartAsync(table, "upsert", "kafka");
        var batch = Enumerable.Range(0, 10).Select(i => Record("orders", i, i, "n" + i)).ToList();

        await task.PutAsync(batch, CancellationToken.None);
        await task.PutAsync(batch, CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        (await env.CountAsync(table)).Should().Be(10);
        (await env.CountAsync(table, "__connect_topic = 'orders' AND __connect_partition = 0 AND __connect_offset = 7 AND id = 7")).Should().Be(1);
    }

    [Fact]
    public async Task PutAsync_InsertModeWithoutKeyReplayed_Duplicates()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("insert");
        var task = await StartAsync(table, "insert", "none");
        var batch = Enumerable.Range(0, 10).Select(i => Record("orders", i, i, "n" + i)).ToList();

        await task.PutAsync(batch, CancellationToken.None);
        await task.PutAsync(batch, CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        (await env.CountAsync(table)).Should().Be(20);
    }

    [Fact]
    public async Task PutAsync_RecordValueUpsert_LastWriterWins()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("byvalue");
        var task = await StartAsync(table, "upsert", "record_value", "id");

        await task.PutAsync([Record("orders", 0, 1, "old"), Record("orders", 1, 1, "new")], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        (await env.CountAsync(table)).Should().Be(1);
        (await env.CountAsync(table, "name = 'new'")).Should().Be(1);
    }

    [Fact]
    public async Task PutAsync_DuplicateKeyInInsertMode_RollsBackWholePutAndRetries()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("rollback");
        var task = await StartAsync(table, "insert", "record_value", "id");
        await task.PutAsync([Record("orders", 0, 1, "first")], CancellationToken.None);

        var act = () => task.PutAsync([Record("orders", 1, 2, "fine"), Record("orders", 2, 1, "clash")], CancellationToken.None);

        await act.Should().ThrowAsync<RetriableException>();
        (await env.CountAsync(table)).Should().Be(1, "one transaction per put: the good record of the failed put is rolled back");
    }

    [Fact]
    public async Task PutAsync_RecordTheTargetRefusesAfterRetries_FailsNamingTheRecord()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("refused");
        var task = await StartAsync(table, "insert", "record_value", "id");
        await task.PutAsync([Record("orders", 0, 1, "first")], CancellationToken.None);
        var batch = new[] { Record("orders", 1, 2, "fine"), Record("orders", 2, 1, "clash") };

        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();
        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();
        var final = await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<ConnectException>();

        final.Which.Should().NotBeOfType<RetriableException>();
        final.Which.Message.Should().StartWith("23505: ").And.EndWith("(record {topic='orders', partition=0, offset=2})", "the error names the record the target refused, as pgjdbc's batch entry does");
    }

    [Fact]
    public async Task PutAsync_RecordTheTargetRefusesWithErrantRecordReporter_WritesTheOthersAndReportsIt()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("unrolled");
        var context = new SinkTestContext(new Dictionary<string, string>(), withReporter: true);
        var task = await StartAsync(table, "insert", "record_value", "id", context: context);
        await task.PutAsync([Record("orders", 0, 1, "first")], CancellationToken.None);
        var batch = new[] { Record("orders", 1, 2, "fine"), Record("orders", 2, 1, "clash"), Record("orders", 3, 3, "after") };
        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();
        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();

        await task.PutAsync(batch, CancellationToken.None);

        context.Reported.Should().ContainSingle().Which.Record.KafkaOffset.Should().Be(2);
        (await env.CountAsync(table)).Should().Be(3, "each record is written on its own once the retries are spent; only the refused one is reported");
    }

    [Fact]
    public async Task PutAsync_DatabaseUnreachable_RetriesMaxRetriesThenFails()
    {
        env.EnsureStarted();
        var context = new StubContext();
        var task = new PostgresSinkTask(NullLogger.Instance);
        task.Initialize(context);
        await task.StartAsync(
            new Dictionary<string, string> { ["connection.url"] = "jdbc:postgresql://127.0.0.1:1/none", ["max.retries"] = "2", ["retry.backoff.ms"] = "250" },
            CancellationToken.None);
        var batch = new[] { Record("orders", 0, 1, "x") };

        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();
        context.LastTimeout.Should().Be(TimeSpan.FromMilliseconds(250), "the task asks the framework to back off retry.backoff.ms");
        await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<RetriableException>();
        var final = await FluentActions.Awaiting(() => task.PutAsync(batch, CancellationToken.None)).Should().ThrowAsync<ConnectException>();
        final.Which.Should().NotBeOfType<RetriableException>("after max.retries the error fails the task");
    }

    [Fact]
    public async Task PutAsync_MissingTableWithoutAutoCreate_FailsWithoutRetry()
    {
        env.EnsureStarted();
        var table = WorkerEnvironment.Unique("missing");
        var task = new PostgresSinkTask(NullLogger.Instance);
        task.Initialize(new StubContext());
        await task.StartAsync(new Dictionary<string, string> { ["connection.url"] = env.JdbcUrl, ["connection.user"] = "postgres", ["table.name.format"] = table }, CancellationToken.None);

        var act = () => task.PutAsync([Record("orders", 0, 1, "x")], CancellationToken.None);

        (await act.Should().ThrowAsync<ConnectException>()).Which.Should().BeOfType<TableAlterOrCreateException>()
            .Which.Message.Should().Be($"Table \"{table}\" is missing and auto-creation is disabled");
    }

    private sealed class StubContext : ISinkTaskContext
    {
        public TimeSpan? LastTimeout { get; private set; }

        public IReadOnlyDictionary<string, string> Configs { get; } = new Dictionary<string, string>();

        public IReadOnlyCollection<TopicPartition> Assignment { get; } = [];

        public IErrantRecordReporter? ErrantRecordReporter => null;

        public void Offset(TopicPartition partition, long offset)
        {
        }

        public void Timeout(TimeSpan timeout) => LastTimeout = timeout;

        public void Pause(params TopicPartition[] partitions)
        {
        }

        public void Resume(params TopicPartition[] partitions)
        {
        }

        public void RequestCommit()
        {
        }
    }
}
