using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Npgsql;
using SinkIdempotency.Broker;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>
/// The embedded broker and a local PostgreSQL, started once for a test collection. A start failure is kept and rethrown
/// in every test that uses it; only what started is disposed.
/// </summary>
public sealed class WorkerEnvironment : IAsyncLifetime
{
    private Exception? _startFailure;
    private KafkaBroker? _broker;
    private LocalPostgreSql? _postgres;

    internal KafkaBroker Broker => _broker ?? throw new InvalidOperationException("The environment did not start.", _startFailure);

    internal LocalPostgreSql Postgres => _postgres ?? throw new InvalidOperationException("The environment did not start.", _startFailure);

    public string BootstrapServers => Broker.BootstrapServers;

    /// <summary>Gets the JDBC URL of the local PostgreSQL, as a Connect user would write it.</summary>
    public string JdbcUrl => $"jdbc:postgresql://127.0.0.1:{Postgres.Port}/postgres";

    public async ValueTask InitializeAsync()
    {
        try
        {
            _broker = new KafkaBroker(new KafkaBrokerOptions { GroupMinSessionTimeout = TimeSpan.FromSeconds(1) });
            await _broker.StartAsync();
            _postgres = await new LocalPostgreSqlBuilder().StartAsync();
        }
        catch (Exception e)
        {
            _startFailure = e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    public void EnsureStarted()
    {
        if (_startFailure is not null)
        {
            throw new InvalidOperationException("The broker or PostgreSQL did not start: " + _startFailure.Message, _startFailure);
        }
    }

    /// <summary>Starts a worker with fast failure detection (6 s consumer sessions) so moves happen within a test's patience.</summary>
    internal Task<WorkerProcess> StartWorkerAsync(string cluster, params string[] extraArgs) =>
        WorkerProcess.StartAsync(
            BootstrapServers,
            cluster,
            [
                "--cluster-session-timeout-ms", "6000",
                "--consumer-property", "session.timeout.ms=6000",
                "--consumer-property", "heartbeat.interval.ms=1000",
                .. extraArgs,
            ]);

    public void CreateTopic(string topic, int partitions) => Broker.CreateTopic(topic, partitions);

    /// <summary>Produces records with JsonConverter envelopes <c>{"id":int32,"name":string}</c>, keys "k{id}", spread round-robin over partitions.</summary>
    public async Task ProduceAsync(string topic, int from, int count, int partitions = 1)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 0 }).Build();
        for (var id = from; id < from + count; id++)
        {
            var value = new JsonObject
            {
                ["schema"] = new JsonObject
                {
                    ["type"] = "struct",
                    ["optional"] = false,
                    ["name"] = "record",
                    ["fields"] = new JsonArray(
                        new JsonObject { ["type"] = "int32", ["optional"] = false, ["field"] = "id" },
                        new JsonObject { ["type"] = "string", ["optional"] = true, ["field"] = "name" }),
                },
                ["payload"] = new JsonObject { ["id"] = id, ["name"] = "name-" + id },
            };
            await producer.ProduceAsync(new TopicPartition(topic, id % partitions), new Message<string, string> { Key = "k" + id, Value = value.ToJsonString() });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    public async Task<long> CountAsync(string table, string where = "true")
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection) { Parameters = { new() { Value = "\"" + table + "\"" } } };
        if (!(bool)(await exists.ExecuteScalarAsync())!)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public long? CommittedOffset(string group, string topic, int partition) => Broker.GetCommittedOffset(group, topic, partition)?.Offset;

    /// <summary>Builds a PostgresSink connector config for a topic and table.</summary>
    public Dictionary<string, string> PostgresConfig(string topic, string table, string insertMode, string pkMode, int tasks = 1) => new()
    {
        ["connector.class"] = "PostgresSink",
        ["tasks.max"] = tasks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["topics"] = topic,
        ["connection.url"] = JdbcUrl,
        ["connection.user"] = "postgres",
        ["table.name.format"] = table,
        ["insert.mode"] = insertMode,
        ["pk.mode"] = pkMode,
        ["auto.create"] = "true",
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };

    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}
