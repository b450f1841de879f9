using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Http;
using SinkIdempotency.Worker.Tests.Plugins;
using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Sinks;

/// <summary>The file, HTTP and plugin sinks through a real worker, replayed with the offsets API: duplicates exactly where the sink's design allows them.</summary>
[Collection(WorkerCollection.Name)]
public sealed class SinkReplayTests(WorkerEnvironment env)
{
    private static readonly JsonValueMapping IdMapping = new() { EventIdField = "id", KeyField = null, VersionField = null, HashedField = null };

    private static async Task StopResetResumeAsync(WorkerProcess worker, string name)
    {
        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/stop")).Status.Should().Be(204);
        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(name))?["connector"]?["state"]?.GetValue<string>() == "STOPPED")).Should().BeTrue(worker.Log);
        (await Eventually.TrueAsync(async () => (await worker.Http.SendJsonAsync(HttpMethod.Delete, $"/connectors/{name}/offsets")).Status == 200, TimeSpan.FromSeconds(30))).Should().BeTrue(worker.Log);
        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/resume")).Status.Should().Be(202);
    }

    [Fact]
    public async Task FileModes_ReplayFromStart_AppendDuplicatesEveryLineDeterministicRewritesIdenticalObjects()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("files");
        env.CreateTopic(topic, 1);
        using var appendDirectory = SinkTestRecords.TempDirectory("replay-append-");
        using var objectDirectory = SinkTestRecords.TempDirectory("replay-objects-");
        await env.ProduceAsync(topic, 0, 22);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");
        (await worker.Http.CreateConnectorAsync(topic + "-append", SinkTestRecords.FileSinkConfig(topic, appendDirectory.Path, "append"))).Status.Should().Be(201);
        // Objects finish at flush.size only: with the default 1 s rotation schedule the two-record tail finished whenever the
        // test's steps took longer than a second (under load), and the tail's offsets were committed after all.
        var objectsConfig = SinkTestRecords.FileSinkConfig(topic, objectDirectory.Path, "deterministic", flushSize: 5);
        objectsConfig["rotate.schedule.interval.ms"] = "0";
        (await worker.Http.CreateConnectorAsync(topic + "-objects", objectsConfig)).Status.Should().Be(201);
        (await Eventually.TrueAsync(
                () => env.CommittedOffset($"connect-{topic}-append", topic, 0) == 22 && env.CommittedOffset($"connect-{topic}-objects", topic, 0) == 20,
                TimeSpan.FromSeconds(60)))
            .Should().BeTrue(worker.Log);
        var objectsBefore = Directory.GetFiles(objectDirectory.Path).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);
        objectsBefore.Keys.Should().Equal(
            $"{topic}+0+0000000000.jsonl", $"{topic}+0+0000000005.jsonl", $"{topic}+0+0000000010.jsonl", $"{topic}+0+0000000015.jsonl");
        env.CommittedOffset($"connect-{topic}-objects", topic, 0).Should().Be(20, "the last two records are in an unfinished object, so their offsets are not committed");

        await StopResetResumeAsync(worker, topic + "-append");
        await StopResetResumeAsync(worker, topic + "-objects");

        (await Eventually.TrueAsync(async () => (await SinkTestRecords.ReadFilesAsync(appendDirectory.Path)).Count == 44, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        (await Eventually.TrueAsync(
                () => env.CommittedOffset($"connect-{topic}-append", topic, 0) == 22 && env.CommittedOffset($"connect-{topic}-objects", topic, 0) == 20,
                TimeSpan.FromSeconds(60)))
            .Should().BeTrue($"the replay commits again (append at {env.CommittedOffset($"connect-{topic}-append", topic, 0)}, objects at {env.CommittedOffset($"connect-{topic}-objects", topic, 0)}): {worker.Log}");
        var appended = await SinkTestRecords.ReadFilesAsync(appendDirectory.Path);
        appended.GroupBy(r => r.EventId).Should().HaveCount(22).And.OnlyContain(g => g.Count() == 2, "append mode writes every replayed record again");
        var objects = await SinkTestRecords.ReadRowsAsync(new Targets.Files.FileSinkReader(objectDirectory.Path, IdMapping));
        objects.Should().HaveCount(20).And.OnlyHaveUniqueItems("deterministic objects are rewritten, not duplicated");
        Directory.GetFiles(objectDirectory.Path).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes)
            .Should().BeEquivalentTo(objectsBefore, "the replay regenerates byte-identical objects");
    }

    [Fact]
    public async Task HttpSink_ReplayFromStart_KeyedRequestsAppliedOnceUnkeyedTwice()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("http");
        env.CreateTopic(topic, 1);
        await using var keyedServer = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var unkeyedServer = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await env.ProduceAsync(topic, 0, 12);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");
        Dictionary<string, string> HttpConfig(HttpTargetServer server, bool keys) => new()
        {
            ["connector.class"] = "HttpSink",
            ["topics"] = topic,
            ["http.url"] = new Uri(server.Url, "events").ToString(),
            ["http.idempotency.key.enable"] = keys ? "true" : "false",
            ["retry.backoff.ms"] = "100",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        };
        (await worker.Http.CreateConnectorAsync(topic + "-keyed", HttpConfig(keyedServer, keys: true))).Status.Should().Be(201);
        (await worker.Http.CreateConnectorAsync(topic + "-unkeyed", HttpConfig(unkeyedServer, keys: false))).Status.Should().Be(201);
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}-keyed", topic, 0) == 12 && env.CommittedOffset($"connect-{topic}-unkeyed", topic, 0) == 12, TimeSpan.FromSeconds(60)))
            .Should().BeTrue(worker.Log);

        await StopResetResumeAsync(worker, topic + "-keyed");
        await StopResetResumeAsync(worker, topic + "-unkeyed");

        (await Eventually.TrueAsync(() => keyedServer.AuditLog.Count == 24 && unkeyedServer.AuditLog.Count == 24, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        keyedServer.AppliedCount.Should().Be(12);
        keyedServer.AuditLog.Skip(12).Should().OnlyContain(r => r.Outcome == HttpRequestOutcome.DuplicateIgnored);
        keyedServer.AuditLog.Select(r => r.IdempotencyKey).Distinct().Should().HaveCount(12).And.Contain($"{topic}+0+0");
        var keyedRows = await SinkTestRecords.ReadRowsAsync(keyedServer.CreateReader(IdMapping));
        keyedRows.Select(r => r.EventId).Should().OnlyHaveUniqueItems().And.HaveCount(12);
        var unkeyedRows = await SinkTestRecords.ReadRowsAsync(unkeyedServer.CreateReader(IdMapping));
        unkeyedRows.GroupBy(r => r.EventId).Should().HaveCount(12).And.OnlyContain(g => g.Count() == 2);
        unkeyedServer.AuditLog.Should().OnlyContain(r => r.IdempotencyKey == null);
    }

    [Fact]
    public async Task HttpSink_ResponseDroppedAfterApply_KeyedRetryNotAppliedTwiceUnkeyedDuplicated()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("http_drop");
        env.CreateTopic(topic, 1);
        await using var keyedServer = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var unkeyedServer = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        keyedServer.AddFault(HttpTargetFault.DropResponse(times: 3));
        unkeyedServer.AddFault(HttpTargetFault.DropResponse(times: 3));
        await env.ProduceAsync(topic, 0, 6);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");
        foreach (var (server, keys) in new[] { (keyedServer, true), (unkeyedServer, false) })
        {
            var config = new Dictionary<string, string>
            {
                ["connector.class"] = "SinkIdempotency.Worker.Sinks.Http.HttpSinkConnector",
                ["topics"] = topic,
                ["http.url"] = server.Url.ToString(),
                ["http.idempotency.key.enable"] = keys ? "true" : "false",
                ["retry.backoff.ms"] = "50",
                ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
                ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            };
            (await worker.Http.CreateConnectorAsync(topic + (keys ? "-keyed" : "-unkeyed"), config)).Status.Should().Be(201);
        }

        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}-keyed", topic, 0) == 6 && env.CommittedOffset($"connect-{topic}-unkeyed", topic, 0) == 6, TimeSpan.FromSeconds(60)))
            .Should().BeTrue(worker.Log);
        keyedServer.AppliedCount.Should().Be(6, "the first record's three dropped replies are retried with the same key");
        keyedServer.AuditLog.Select(r => r.Response).Take(3).Should().OnlyContain(f => f == HttpResponseFate.Dropped);
        unkeyedServer.AppliedCount.Should().Be(9, "each dropped reply leads to one more copy of the first record");
        (await SinkTestRecords.ReadRowsAsync(unkeyedServer.CreateReader(IdMapping))).Count(r => r.EventId == "0").Should().Be(4);
    }

    [Fact]
    public async Task Plugin_LoadedFromItsOwnAssembly_ListedDeployedByClassNameAndWrites()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("plugin");
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("plugin-");
        await env.ProduceAsync(topic, 0, 7);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500", "--plugin-path", PluginRegistryTests.PluginFolder);

        var (pluginsStatus, plugins) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/connector-plugins");
        pluginsStatus.Should().Be(200);
        plugins!.AsArray().Select(p => p!["class"]!.GetValue<string>()).Should().Contain(PluginRegistryTests.PluginClass);
        plugins.AsArray().Single(p => p!["class"]!.GetValue<string>() == PluginRegistryTests.PluginClass)!["version"]!.GetValue<string>().Should().Be("0.1.0-test");
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = PluginRegistryTests.PluginClass,
            ["topics"] = topic,
            ["line.directory"] = directory.Path,
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        };
        (await worker.Http.CreateConnectorAsync(topic, config)).Status.Should().Be(201);

        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}", topic, 0) == 7, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        var rows = await SinkTestRecords.ReadFilesAsync(directory.Path);
        rows.Select(r => r.EventId).Should().Equal(["0", "1", "2", "3", "4", "5", "6"]);
        File.ReadAllText(Path.Combine(directory.Path, topic + "+0.jsonl")).Should().Contain("\"loadContext\":\"SinkIdempotency.TestPlugin\"");
        (await worker.Http.SendJsonAsync(HttpMethod.Put, "/connector-plugins/LineSink/config/validate", new System.Text.Json.Nodes.JsonObject { ["name"] = "validate-only", ["connector.class"] = "LineSink", ["topics"] = topic }))
            .Body!["error_count"]!.GetValue<int>().Should().Be(1, "line.directory is required by the plugin's own definition");
    }
}
