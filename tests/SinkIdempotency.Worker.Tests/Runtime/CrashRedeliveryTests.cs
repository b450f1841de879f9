using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Runtime;

/// <summary>The behaviour the whole harness depends on: a worker killed after writing but before committing redelivers.</summary>
[Collection(WorkerCollection.Name)]
public sealed class CrashRedeliveryTests(WorkerEnvironment env)
{
    [Fact]
    public async Task SigKill_AfterWriteBeforeCommit_RedeliversDuplicatesForInsertAndNoneForUpsert()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("crash");
        var cluster = WorkerEnvironment.Unique("cluster");
        env.CreateTopic(topic, 2);
        await env.ProduceAsync(topic, 0, 40, partitions: 2);
        var insertTable = topic + "_insert";
        var upsertTable = topic + "_upsert";

        // Commits only every 60 s (Connect's default): the rows land long before any offset is committed.
        await using (var first = await env.StartWorkerAsync(cluster))
        {
            (await first.Http.CreateConnectorAsync(topic + "-insert", env.PostgresConfig(topic, insertTable, "insert", "none"))).Status.Should().Be(201);
            (await first.Http.CreateConnectorAsync(topic + "-upsert", env.PostgresConfig(topic, upsertTable, "upsert", "kafka"))).Status.Should().Be(201);
            (await Eventually.TrueAsync(async () => await env.CountAsync(insertTable) == 40 && await env.CountAsync(upsertTable) == 40, TimeSpan.FromSeconds(90)))
                .Should().BeTrue(first.Log);

            env.CommittedOffset($"connect-{topic}-insert", topic, 0).Should().BeNull("the target is ahead of the committed offsets");
            env.CommittedOffset($"connect-{topic}-upsert", topic, 0).Should().BeNull();
            first.Kill();
        }

        await using var second = await env.StartWorkerAsync(cluster, "--offset-flush-interval-ms", "1000");

        (await Eventually.TrueAsync(
                () => env.CommittedOffset($"connect-{topic}-insert", topic, 0) == 20 && env.CommittedOffset($"connect-{topic}-insert", topic, 1) == 20
                    && env.CommittedOffset($"connect-{topic}-upsert", topic, 0) == 20 && env.CommittedOffset($"connect-{topic}-upsert", topic, 1) == 20,
                TimeSpan.FromSeconds(120)))
            .Should().BeTrue(second.Log);
        (await env.CountAsync(insertTable)).Should().Be(80, "insert mode without a key writes every redelivered record again");
        (await env.CountAsync(upsertTable)).Should().Be(40, "upsert keyed by the Kafka coordinates absorbs the redelivery");
        (await env.CountAsync(upsertTable, "__connect_topic = '" + topic + "' AND __connect_offset BETWEEN 0 AND 19")).Should().Be(40);
    }

    [Fact]
    public async Task GracefulStop_AfterWrite_CommitsSoRestartDoesNotRedeliver()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("graceful");
        var cluster = WorkerEnvironment.Unique("cluster");
        env.CreateTopic(topic, 1);
        await env.ProduceAsync(topic, 0, 25);
        var table = topic + "_insert";

        await using (var first = await env.StartWorkerAsync(cluster))
        {
            (await first.Http.CreateConnectorAsync(topic, env.PostgresConfig(topic, table, "insert", "none"))).Status.Should().Be(201);
            (await Eventually.TrueAsync(async () => await env.CountAsync(table) == 25, TimeSpan.FromSeconds(90))).Should().BeTrue(first.Log);
            env.CommittedOffset($"connect-{topic}", topic, 0).Should().BeNull();

            (await first.CloseStandardInputAndWaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("the worker exits when its standard input closes");
        }

        env.CommittedOffset($"connect-{topic}", topic, 0).Should().Be(25, "stopping commits synchronously after preCommit");
        await using var second = await env.StartWorkerAsync(cluster, "--offset-flush-interval-ms", "1000");
        await env.ProduceAsync(topic, 25, 5);
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{topic}", topic, 0) == 30, TimeSpan.FromSeconds(90))).Should().BeTrue(second.Log);
        (await env.CountAsync(table)).Should().Be(30, "nothing is delivered twice after a clean stop");
    }
}
