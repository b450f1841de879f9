using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Cluster;

/// <summary>Several worker processes with one group id form one cluster.</summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerClusterTests(WorkerEnvironment env)
{
    [Fact]
    public async Task TwoWorkers_ShareTasks_KilledWorkersTasksMoveToSurvivor()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("share");
        var cluster = WorkerEnvironment.Unique("cluster");
        env.CreateTopic(topic, 4);
        await using var first = await env.StartWorkerAsync(cluster, "--offset-flush-interval-ms", "1000");
        await using var second = await env.StartWorkerAsync(cluster, "--offset-flush-interval-ms", "1000");
        var workerIds = new[] { $"127.0.0.1:{first.Url.Port}", $"127.0.0.1:{second.Url.Port}" };

        (await first.Http.CreateConnectorAsync(topic, env.PostgresConfig(topic, topic, "upsert", "kafka", tasks: 4))).Status.Should().Be(201);

        (await Eventually.TrueAsync(
                async () =>
                {
                    var status = await second.Http.StatusAsync(topic);
                    var tasks = status?["tasks"]?.AsArray();
                    return tasks is { Count: 4 }
                        && tasks.All(t => t!["state"]!.GetValue<string>() == "RUNNING")
                        && tasks.Select(t => t!["worker_id"]!.GetValue<string>()).Distinct().Count() == 2;
                },
                TimeSpan.FromSeconds(90)))
            .Should().BeTrue("both workers run tasks, and any worker reports for the cluster\n" + first.Log + "\n----\n" + second.Log);
        var status = (await first.Http.StatusAsync(topic))!;
        status["tasks"]!.AsArray().Select(t => t!["worker_id"]!.GetValue<string>()).Should().OnlyContain(id => workerIds.Contains(id));
        await env.ProduceAsync(topic, 0, 40, partitions: 4);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 40, TimeSpan.FromSeconds(90))).Should().BeTrue(first.Log);

        second.Kill();

        (await Eventually.TrueAsync(
                async () =>
                {
                    var tasks = (await first.Http.StatusAsync(topic))?["tasks"]?.AsArray();
                    return tasks is { Count: 4 } && tasks.All(t => t!["state"]!.GetValue<string>() == "RUNNING" && t["worker_id"]!.GetValue<string>() == workerIds[0]);
                },
                TimeSpan.FromSeconds(90)))
            .Should().BeTrue("the dead worker's tasks move to the survivor after the session timeout\n" + first.Log);
        await env.ProduceAsync(topic, 40, 20, partitions: 4);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 60, TimeSpan.FromSeconds(90))).Should().BeTrue(first.Log);
    }

    [Fact]
    public async Task RestartedWorker_ReadsConnectorsFromConfigTopic()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("restart");
        var cluster = WorkerEnvironment.Unique("cluster");
        env.CreateTopic(topic, 1);
        await using (var first = await env.StartWorkerAsync(cluster))
        {
            (await first.Http.CreateConnectorAsync(topic, env.PostgresConfig(topic, topic, "upsert", "kafka"))).Status.Should().Be(201);
            (await first.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/pause")).Status.Should().Be(202);
            (await first.Http.WaitForStateAsync(topic, "PAUSED", 1)).Should().BeTrue(first.Log);
        }

        await using var second = await env.StartWorkerAsync(cluster);

        (await second.Http.SendJsonAsync(HttpMethod.Get, "/connectors")).Body!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(topic);
        (await second.Http.WaitForStateAsync(topic, "PAUSED", 1)).Should().BeTrue("the target state survives a restart\n" + second.Log);
        (await second.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/resume")).Status.Should().Be(202);
        await env.ProduceAsync(topic, 0, 3);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 3, TimeSpan.FromSeconds(60))).Should().BeTrue(second.Log);
    }
}
