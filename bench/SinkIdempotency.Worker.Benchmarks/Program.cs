using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SinkIdempotency.Broker;
using SinkIdempotency.Embedded;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Sinks.Postgres;

// Timing console for the worker: start-to-REST-ready, and upsert throughput into PostgreSQL end to end and in process.
// Usage: dotnet run -c Release --project bench/SinkIdempotency.Worker.Benchmarks -- [startups=10] [records=100000]
var startups = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var records = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var workerDll = Path.Combine(AppContext.BaseDirectory, "SinkIdempotency.Worker.dll");

await using var broker = new KafkaBroker(new KafkaBrokerOptions { GroupMinSessionTimeout = TimeSpan.FromSeconds(1) });
await broker.StartAsync();
await using var postgres = await new LocalPostgreSqlBuilder().StartAsync();
Console.WriteLine($"broker {broker.BootstrapServers}, PostgreSQL {postgres.Version} on {postgres.Port}, {Environment.ProcessorCount} cores");

// 1. Start to REST-ready.
var firstLine = new List<double>();
var restReady = new List<double>();
var clusterReady = new List<double>();
using var http = new HttpClient();
for (var i = 0; i < startups; i++)
{
    var watch = Stopwatch.StartNew();
    using var process = StartWorker(workerDll, broker.BootstrapServers, "bench-start-" + i, []);
    var url = await process.StandardOutput.ReadLineAsync();
    firstLine.Add(watch.Elapsed.TotalMilliseconds);
    while (true)
    {
        try
        {
            using var response = await http.GetAsync(url + "/");
            if (response.IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException)
        {
        }
    }

    restReady.Add(watch.Elapsed.TotalMilliseconds);
    while (!(await http.GetAsync(url + "/connectors")).IsSuccessStatusCode)
    {
    }

    clusterReady.Add(watch.Elapsed.TotalMilliseconds);
    process.StandardInput.Close();
    await process.WaitForExitAsync();
}

Console.WriteLine($"start -> URL printed:        {Summary(firstLine)}");
Console.WriteLine($"start -> GET / 200:          {Summary(restReady)}");
Console.WriteLine($"start -> GET /connectors 200 (config/status topics read): {Summary(clusterReady)}");

// 2. Upsert throughput end to end: records already in Kafka, connector created, until every row is in PostgreSQL.
foreach (var tasks in new[] { 1, 4 })
{
    var topic = $"bench_{tasks}_{Guid.NewGuid():N}"[..20];
    broker.CreateTopic(topic, 4);
    await ProduceAsync(broker.BootstrapServers, topic, records);
    using var worker = StartWorker(workerDll, broker.BootstrapServers, "bench-tput-" + topic, ["--offset-flush-interval-ms", "10000"]);
    var url = await worker.StandardOutput.ReadLineAsync();
    var config = new JsonObject
    {
        ["name"] = topic,
        ["config"] = new JsonObject
        {
            ["connector.class"] = "PostgresSink",
            ["tasks.max"] = tasks.ToString(CultureInfo.InvariantCulture),
            ["topics"] = topic,
            ["connection.url"] = $"jdbc:postgresql://127.0.0.1:{postgres.Port}/postgres",
            ["connection.user"] = "postgres",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "kafka",
            ["auto.create"] = "true",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        },
    };
    var watch = Stopwatch.StartNew();
    using (var response = await http.PostAsync(url + "/connectors", new StringContent(config.ToJsonString(), System.Text.Encoding.UTF8, "application/json")))
    {
        response.EnsureSuccessStatusCode();
    }

    while (await CountAsync(postgres.ConnectionString, topic) < records)
    {
        await Task.Delay(50);
    }

    watch.Stop();
    Console.WriteLine($"end to end upsert, pk.mode=kafka, tasks.max={tasks}, 4 partitions: {records} records in {watch.Elapsed.TotalSeconds:F2} s = {records / watch.Elapsed.TotalSeconds:F0} records/s");
    worker.StandardInput.Close();
    await worker.WaitForExitAsync();
}

// 3. The sink alone, in process: puts of 500 records (max.poll.records), one transaction each.
{
    var table = $"inproc_{Guid.NewGuid():N}"[..20];
    var task = new PostgresSinkTask(NullLogger.Instance);
    task.Initialize(new NoContext());
    await task.StartAsync(
        new Dictionary<string, string>
        {
            ["connection.url"] = $"jdbc:postgresql://127.0.0.1:{postgres.Port}/postgres",
            ["connection.user"] = "postgres",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "kafka",
            ["auto.create"] = "true",
            ["table.name.format"] = table,
        },
        CancellationToken.None);
    var schema = new ConnectSchema
    {
        Type = ConnectSchemaType.Struct,
        Fields = [new ConnectField("id", 0, new ConnectSchema { Type = ConnectSchemaType.Int32 }), new ConnectField("name", 1, ConnectSchema.OptionalString)],
    };
    var all = Enumerable.Range(0, records).Select(i => new SinkRecord("inproc", 0, null, null, schema, new JsonObject { ["id"] = i, ["name"] = "name-" + i }, i)).ToList();
    var watch = Stopwatch.StartNew();
    foreach (var chunk in all.Chunk(500))
    {
        await task.PutAsync(chunk, CancellationToken.None);
    }

    watch.Stop();
    await task.StopAsync(CancellationToken.None);
    Console.WriteLine($"in-process PostgresSinkTask upsert, puts of 500: {records} records in {watch.Elapsed.TotalSeconds:F2} s = {records / watch.Elapsed.TotalSeconds:F0} records/s");
}

return 0;

static Process StartWorker(string dll, string bootstrap, string group, string[] extra)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var arg in new[] { dll, "--bootstrap-servers", bootstrap, "--group-id", group, "--rest-port", "0" }.Concat(extra))
    {
        start.ArgumentList.Add(arg);
    }

    var process = Process.Start(start)!;
    process.ErrorDataReceived += (_, _) => { };
    process.BeginErrorReadLine();
    return process;
}

static string Summary(List<double> values)
{
    var sorted = values.Order().ToList();
    return $"median {sorted[sorted.Count / 2]:F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms (n={sorted.Count})";
}

static async Task ProduceAsync(string bootstrap, string topic, int count)
{
    using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5, BatchSize = 1_000_000 }).Build();
    for (var i = 0; i < count; i++)
    {
        var value = $$$"""{"schema":{"type":"struct","optional":false,"fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}]},"payload":{"id":{{{i}}},"name":"name-{{{i}}}"}}""";
        while (true)
        {
            try
            {
                producer.Produce(new Confluent.Kafka.TopicPartition(topic, i % 4), new Message<string, string> { Key = "k" + i, Value = value });
                break;
            }
            catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    producer.Flush(TimeSpan.FromSeconds(60));
}

static async Task<long> CountAsync(string connectionString, string table)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var exists = new NpgsqlCommand($"SELECT to_regclass('\"{table}\"') IS NOT NULL", connection);
    if (!(bool)(await exists.ExecuteScalarAsync())!)
    {
        return 0;
    }

    await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
    return (long)(await command.ExecuteScalarAsync())!;
}

internal sealed class NoContext : ISinkTaskContext
{
    public IReadOnlyDictionary<string, string> Configs { get; } = new Dictionary<string, string>();

    public IReadOnlyCollection<SinkIdempotency.Sink.TopicPartition> Assignment { get; } = [];

    public IErrantRecordReporter? ErrantRecordReporter => null;

    public void Offset(SinkIdempotency.Sink.TopicPartition partition, long offset)
    {
    }

    public void Timeout(TimeSpan timeout)
    {
    }

    public void Pause(params SinkIdempotency.Sink.TopicPartition[] partitions)
    {
    }

    public void Resume(params SinkIdempotency.Sink.TopicPartition[] partitions)
    {
    }

    public void RequestCommit()
    {
    }
}
