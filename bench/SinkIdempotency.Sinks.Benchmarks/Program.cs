using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Files;
using SinkIdempotency.Targets.Http;
using SinkIdempotency.Worker.Sinks.Files;
using SinkIdempotency.Worker.Sinks.Http;

// Timing console for the file and HTTP sinks and their target readers, in process (no broker, no worker):
// file sink put throughput (append / deterministic), file target reader rows/s, HTTP sink -> HTTP target server requests/s.
// Usage: dotnet run -c Release --project bench/SinkIdempotency.Sinks.Benchmarks -- [records=1000000] [httpRecords=20000]
var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var httpRecords = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
Console.WriteLine($"{records} records (payload 100 chars), {httpRecords} HTTP records, {Environment.ProcessorCount} cores");

var batches = Batches(records, 500).ToList();
foreach (var (mode, flushSize) in new[] { ("append", 10_000), ("deterministic", 10_000), ("deterministic", 100) })
{
    var directory = Directory.CreateTempSubdirectory("bench-file-sink-").FullName;
    try
    {
        var config = new Dictionary<string, string> { ["file.directory"] = directory, ["file.mode"] = mode, ["flush.size"] = flushSize.ToString(CultureInfo.InvariantCulture) };
        var task = new FileSinkTask(NullLogger.Instance);
        task.Initialize(new BenchContext(config));
        await task.StartAsync(config, CancellationToken.None);
        var partition = new TopicPartition("bench", 0);
        await task.OpenAsync([partition], CancellationToken.None);
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            await task.PutAsync(batch, CancellationToken.None);
        }

        var committable = await task.PreCommitAsync(new Dictionary<TopicPartition, long> { [partition] = records }, CancellationToken.None);
        var putSeconds = watch.Elapsed.TotalSeconds;
        await task.StopAsync(CancellationToken.None);
        Console.WriteLine($"file sink {mode,-13} flush.size={flushSize,-6}: {records / putSeconds,12:N0} records/s put+preCommit ({putSeconds:F2} s), committable {committable.GetValueOrDefault(partition)}");

        var reader = new FileSinkReader(directory);
        watch.Restart();
        var summary = await reader.SummarizeAsync();
        var readSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"file reader {mode,-11} flush.size={flushSize,-6}: {summary.RowCount / readSeconds,12:N0} rows/s ({summary.RowCount} rows, {readSeconds:F2} s, {reader.ListFiles().Count} files)");
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

foreach (var keys in new[] { false, true })
{
    await using var server = await HttpTargetServer.StartAsync();
    var config = new Dictionary<string, string> { ["http.url"] = server.Url.ToString(), ["http.idempotency.key.enable"] = keys ? "true" : "false" };
    var task = new HttpSinkTask(NullLogger.Instance);
    task.Initialize(new BenchContext(config));
    await task.StartAsync(config, CancellationToken.None);
    var watch = Stopwatch.StartNew();
    foreach (var batch in Batches(httpRecords, 500))
    {
        await task.PutAsync(batch, CancellationToken.None);
    }

    var seconds = watch.Elapsed.TotalSeconds;
    await task.StopAsync(CancellationToken.None);
    watch.Restart();
    var rows = await server.CreateReader().SummarizeAsync();
    Console.WriteLine($"http sink keys={keys,-5}: {httpRecords / seconds,12:N0} requests/s ({seconds:F2} s); reader {rows.RowCount / watch.Elapsed.TotalSeconds:N0} rows/s ({rows.RowCount} rows)");
}

// The HTTP target reader at `records` rows, seeded straight into the server (a million POSTs would time the sink, not the reader):
// every path at once, then one run's path among ten (the harness reads one run's path while other runs' paths are held).
await using (var seeded = await HttpTargetServer.StartAsync())
{
    const int paths = 10;
    var body = "{\"event_id\":\"e0\",\"key\":\"k0\",\"version\":0,\"seq\":0,\"payload\":\"" + new string('x', 100) + "\"}";
    for (var i = 0; i < records; i++)
    {
        seeded.AddApplied(new HttpTargetRecord(i + 1, DateTimeOffset.UnixEpoch, null, body, new SinkIdempotency.Workload.SourcePosition("bench", 0, i), "/run-" + (i % paths).ToString(CultureInfo.InvariantCulture)));
    }

    var watch = Stopwatch.StartNew();
    var all = await seeded.CreateReader().SummarizeAsync();
    Console.WriteLine($"http reader all paths    : {all.RowCount / watch.Elapsed.TotalSeconds,12:N0} rows/s ({all.RowCount} rows, {watch.Elapsed.TotalSeconds:F2} s)");
    watch.Restart();
    long perPath = 0;
    for (var p = 0; p < paths; p++)
    {
        perPath += (await seeded.CreateReader(path: "/run-" + p.ToString(CultureInfo.InvariantCulture)).SummarizeAsync()).RowCount;
    }

    Console.WriteLine($"http reader path by path : {perPath / watch.Elapsed.TotalSeconds,12:N0} rows/s ({perPath} rows over {paths} paths, {watch.Elapsed.TotalSeconds:F2} s)");
}

static IEnumerable<IReadOnlyList<SinkRecord>> Batches(int count, int size)
{
    var payload = new string('x', 100);
    for (var start = 0; start < count; start += size)
    {
        var batch = new List<SinkRecord>(size);
        for (var offset = start; offset < Math.Min(count, start + size); offset++)
        {
            var value = new JsonObject { ["event_id"] = "e" + offset, ["key"] = "k" + (offset % 1000), ["version"] = offset / 1000, ["seq"] = offset, ["payload"] = payload };
            batch.Add(new SinkRecord("bench", 0, null, JsonValue.Create("k" + (offset % 1000)), null, value, offset));
        }

        yield return batch;
    }
}

internal sealed class BenchContext(IReadOnlyDictionary<string, string> configs) : ISinkTaskContext
{
    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IReadOnlyCollection<TopicPartition> Assignment { get; } = [new("bench", 0)];

    public IErrantRecordReporter? ErrantRecordReporter => null;

    public void Offset(TopicPartition partition, long offset)
    {
    }

    public void Timeout(TimeSpan timeout)
    {
    }

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
