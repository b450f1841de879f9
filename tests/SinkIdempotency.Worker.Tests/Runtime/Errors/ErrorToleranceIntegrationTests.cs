using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Runtime.Errors;

/// <summary>Poison records through a real worker: tolerance none fails the task at the poison; tolerance all skips it, into the DLQ when one is set.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ErrorToleranceIntegrationTests(WorkerEnvironment env)
{
    [Fact]
    public async Task ToleranceNone_PoisonRecord_TaskFailedNothingAfterWrittenCommitNotPast()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("poison_none");
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("poison-none-");
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");
        await env.ProduceAsync(topic, 0, 10);
        (await worker.Http.CreateConnectorAsync(topic, SinkTestRecords.FileSinkConfig(topic, directory.Path, "append"))).Status.Should().Be(201);
        (await Eventually.TrueAsync(async () => (await SinkTestRecords.ReadFilesAsync(directory.Path)).Count == 10, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);

        await SinkTestRecords.ProduceRawAsync(env, topic, "k-poison", SinkTestRecords.Poison);
        await env.ProduceAsync(topic, 11, 10);

        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(topic))?["tasks"]?[0]?["state"]?.GetValue<string>() == "FAILED", TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        var status = await worker.Http.StatusAsync(topic);
        status!["tasks"]![0]!["trace"]!.GetValue<string>().Should().Contain("Tolerance exceeded in error handler").And.Contain("DataException");
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}", topic, 0) == 10, TimeSpan.FromSeconds(30))).Should().BeTrue(worker.Log);
        var rows = await SinkTestRecords.ReadFilesAsync(directory.Path);
        rows.Select(r => r.Source!.Value.Offset).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i), "nothing at or after the poison record (offset 10) is written");
        env.CommittedOffset($"connect-{topic}", topic, 0).Should().Be(10, "the committed offset stops at the poison record");
    }

    [Fact]
    public async Task ToleranceAllWithDlq_PoisonRecords_OriginalsWithHeadersInDlqEveryGoodRecordWritten()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("poison_dlq");
        var dlq = topic + "_dlq";
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("poison-dlq-");
        await env.ProduceAsync(topic, 0, 5);
        await SinkTestRecords.ProduceRawAsync(env, topic, "k-poison-1", SinkTestRecords.Poison, ("trace-id", "abc"));
        await env.ProduceAsync(topic, 6, 5);
        await SinkTestRecords.ProduceRawAsync(env, topic, "k-poison-2", """{"id":99}""");
        await env.ProduceAsync(topic, 12, 3);
        var config = SinkTestRecords.FileSinkConfig(topic, directory.Path, "append");
        config["errors.tolerance"] = "all";
        config["errors.deadletterqueue.topic.name"] = dlq;
        config["errors.deadletterqueue.topic.replication.factor"] = "1";
        config["errors.deadletterqueue.context.headers.enable"] = "true";
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");

        (await worker.Http.CreateConnectorAsync(topic, config)).Status.Should().Be(201);

        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}", topic, 0) == 15, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        var rows = await SinkTestRecords.ReadFilesAsync(directory.Path);
        rows.Select(r => r.Source!.Value.Offset).Should().Equal([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14]);
        var dead = SinkTestRecords.ReadTopic(env, dlq, 2, TimeSpan.FromSeconds(30));
        dead.Should().HaveCount(2);
        System.Text.Encoding.UTF8.GetString(dead[0].Message.Value).Should().Be(SinkTestRecords.Poison, "the DLQ gets the original bytes");
        System.Text.Encoding.UTF8.GetString(dead[0].Message.Key).Should().Be("k-poison-1");
        SinkTestRecords.Header(dead[0], "trace-id").Should().Be("abc", "original headers are kept");
        SinkTestRecords.Header(dead[0], "__connect.errors.topic").Should().Be(topic);
        SinkTestRecords.Header(dead[0], "__connect.errors.partition").Should().Be("0");
        SinkTestRecords.Header(dead[0], "__connect.errors.offset").Should().Be("5");
        SinkTestRecords.Header(dead[0], "__connect.errors.connector.name").Should().Be(topic);
        SinkTestRecords.Header(dead[0], "__connect.errors.task.id").Should().Be("0");
        SinkTestRecords.Header(dead[0], "__connect.errors.stage").Should().Be("VALUE_CONVERTER");
        SinkTestRecords.Header(dead[0], "__connect.errors.class.name").Should().Be("org.apache.kafka.connect.json.JsonConverter");
        SinkTestRecords.Header(dead[0], "__connect.errors.exception.class.name").Should().Be("org.apache.kafka.connect.errors.DataException");
        SinkTestRecords.Header(dead[0], "__connect.errors.exception.message").Should().StartWith("Converting byte[] to Kafka Connect data failed");
        SinkTestRecords.Header(dead[0], "__connect.errors.exception.stacktrace").Should().StartWith("org.apache.kafka.connect.errors.DataException");
        SinkTestRecords.Header(dead[1], "__connect.errors.offset").Should().Be("11");
        SinkTestRecords.Header(dead[1], "__connect.errors.exception.message").Should().StartWith("JsonConverter with schemas.enable requires");
        (await worker.Http.StatusAsync(topic))!["tasks"]![0]!["state"]!.GetValue<string>().Should().Be("RUNNING");
    }

    [Fact]
    public async Task ToleranceAllWithoutDlq_PoisonRecord_SkippedSilentlyOffsetsMoveOn()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("poison_skip");
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("poison-skip-");
        await env.ProduceAsync(topic, 0, 4);
        await SinkTestRecords.ProduceRawAsync(env, topic, "k-poison", SinkTestRecords.Poison);
        await env.ProduceAsync(topic, 5, 4);
        var config = SinkTestRecords.FileSinkConfig(topic, directory.Path, "append");
        config["errors.tolerance"] = "all";
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");

        (await worker.Http.CreateConnectorAsync(topic, config)).Status.Should().Be(201);

        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}", topic, 0) == 9, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        (await SinkTestRecords.ReadFilesAsync(directory.Path)).Select(r => r.Source!.Value.Offset).Should().Equal([0, 1, 2, 3, 5, 6, 7, 8]);
        (await worker.Http.StatusAsync(topic))!["tasks"]![0]!["state"]!.GetValue<string>().Should().Be("RUNNING");
    }

    [Fact]
    public async Task Validate_DlqTopicIsConsumedTopic_400NamingTheDlq()
    {
        env.EnsureStarted();
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));
        var config = SinkTestRecords.FileSinkConfig("orders", "/tmp/never", "append");
        config["errors.deadletterqueue.topic.name"] = "orders";

        var (status, body) = await worker.Http.CreateConnectorAsync("dlq-loop", config);

        status.Should().Be(400);
        body!["message"]!.GetValue<string>().Should().Contain("The DLQ topic 'orders' may not be included in the list of topics ('topics=[orders]') consumed by the connector");
    }
}
