using System.Text.Json.Nodes;
using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Rest;

/// <summary>The offsets API (KIP-875) through a real worker: read, alter and reset only when STOPPED, and the replay a reset causes.</summary>
[Collection(WorkerCollection.Name)]
public sealed class OffsetsApiTests(WorkerEnvironment env)
{
    private const string FrameworkAltered = "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.";
    private const string FrameworkReset = "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.";

    private static JsonObject AlterBody(string topic, JsonNode? offset) => new()
    {
        ["offsets"] = new JsonArray(new JsonObject
        {
            ["partition"] = new JsonObject { ["kafka_topic"] = topic, ["kafka_partition"] = 0 },
            ["offset"] = offset,
        }),
    };

    [Fact]
    public async Task RoundTrip_StopAlterResumeThenResetResume_ReplaysExactlyTheRewoundRecords()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("offsets");
        var name = topic;
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("offsets-");
        await env.ProduceAsync(topic, 0, 10);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "500");
        (await worker.Http.CreateConnectorAsync(name, SinkTestRecords.FileSinkConfig(topic, directory.Path, "append"))).Status.Should().Be(201);
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{name}", topic, 0) == 10, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);

        var (getStatus, offsets) = await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/offsets");
        getStatus.Should().Be(200);
        offsets!.ToJsonString().Should().Be($$$"""{"offsets":[{"partition":{"kafka_topic":"{{{topic}}}","kafka_partition":0},"offset":{"kafka_offset":10}}]}""");

        var (runningStatus, runningBody) = await worker.Http.SendJsonAsync(HttpMethod.Patch, $"/connectors/{name}/offsets", AlterBody(topic, new JsonObject { ["kafka_offset"] = 5 }));
        runningStatus.Should().Be(400);
        runningBody!["message"]!.GetValue<string>().Should().Be($"Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{name}/stop' endpoint");
        (await worker.Http.SendJsonAsync(HttpMethod.Delete, $"/connectors/{name}/offsets")).Status.Should().Be(400);

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/stop")).Status.Should().Be(204);
        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(name))?["connector"]?["state"]?.GetValue<string>() == "STOPPED")).Should().BeTrue(worker.Log);
        var (alterStatus, alterBody) = await RetryWhileTasksLingerAsync(() => worker.Http.SendJsonAsync(HttpMethod.Patch, $"/connectors/{name}/offsets", AlterBody(topic, new JsonObject { ["kafka_offset"] = "5" })));
        alterStatus.Should().Be(200, alterBody?.ToJsonString());
        alterBody!["message"]!.GetValue<string>().Should().Be(FrameworkAltered);
        (await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/offsets")).Body!["offsets"]![0]!["offset"]!["kafka_offset"]!.GetValue<long>().Should().Be(5);

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/resume")).Status.Should().Be(202);
        (await Eventually.TrueAsync(async () => (await SinkTestRecords.ReadFilesAsync(directory.Path)).Count == 15, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        var afterAlter = await SinkTestRecords.ReadFilesAsync(directory.Path);
        afterAlter.GroupBy(r => r.Source!.Value.Offset).Where(g => g.Count() == 2).Select(g => g.Key).Order().Should().Equal([5, 6, 7, 8, 9], "exactly the rewound records are delivered again");
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{name}", topic, 0) == 10, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/stop")).Status.Should().Be(204);
        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(name))?["connector"]?["state"]?.GetValue<string>() == "STOPPED")).Should().BeTrue(worker.Log);
        var (resetStatus, resetBody) = await RetryWhileTasksLingerAsync(() => worker.Http.SendJsonAsync(HttpMethod.Delete, $"/connectors/{name}/offsets"));
        resetStatus.Should().Be(200, resetBody?.ToJsonString());
        resetBody!["message"]!.GetValue<string>().Should().Be(FrameworkReset);
        (await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/offsets")).Body!.ToJsonString().Should().Be("""{"offsets":[]}""");
        env.Broker.GetCommittedOffset($"connect-{name}", topic, 0).Should().BeNull("DELETE removes the consumer group");
        (await worker.Http.SendJsonAsync(HttpMethod.Delete, $"/connectors/{name}/offsets")).Status.Should().Be(200, "resetting is idempotent");

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/resume")).Status.Should().Be(202);
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{name}", topic, 0) == 10, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        var afterReset = await SinkTestRecords.ReadFilesAsync(directory.Path);
        afterReset.Should().HaveCount(25, "the reset replays the topic from the beginning (auto.offset.reset=earliest)");
        afterReset.GroupBy(r => r.Source!.Value.Offset).Should().OnlyContain(g => g.Count() == (g.Key >= 5 ? 3 : 2));
    }

    [Fact]
    public async Task Patch_BadBodies_ConnectMessages()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("offsets_bad");
        env.CreateTopic(topic, 1);
        using var directory = SinkTestRecords.TempDirectory("offsets-bad-");
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));
        (await worker.Http.CreateConnectorAsync(topic, SinkTestRecords.FileSinkConfig(topic, directory.Path, "append"))).Status.Should().Be(201);

        (await worker.Http.SendJsonAsync(HttpMethod.Get, "/connectors/missing-connector/offsets")).Body!["message"]!.GetValue<string>().Should().Be("Connector missing-connector not found");
        (await worker.Http.SendJsonAsync(HttpMethod.Patch, $"/connectors/{topic}/offsets", new JsonObject { ["offsets"] = new JsonArray() }))
            .Body!["message"]!.GetValue<string>().Should().Be("Partitions / offsets need to be provided for an alter offsets request");
        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/stop")).Status.Should().Be(204);
        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(topic))?["connector"]?["state"]?.GetValue<string>() == "STOPPED")).Should().BeTrue(worker.Log);
        var missingKey = new JsonObject { ["offsets"] = new JsonArray(new JsonObject { ["partition"] = new JsonObject { ["kafka_topic"] = topic }, ["offset"] = new JsonObject { ["kafka_offset"] = 1 } }) };
        var (status, body) = await worker.Http.SendJsonAsync(HttpMethod.Patch, $"/connectors/{topic}/offsets", missingKey);
        status.Should().Be(400);
        body!["error_code"]!.GetValue<int>().Should().Be(400);
        body["message"]!.GetValue<string>().Should().Be("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'");
        var badOffset = AlterBody(topic, new JsonObject { ["kafka_offset"] = "ten" });
        (await worker.Http.SendJsonAsync(HttpMethod.Patch, $"/connectors/{topic}/offsets", badOffset)).Body!["message"]!.GetValue<string>()
            .Should().Be("Failed to parse the following Kafka offset value in the provided offsets: 'ten'. Offset values for sink connectors need to be integers.");
    }

    /// <summary>Retries while the group still has members (Connect answers 500 naming zombie tasks), as Connect's own tests do.</summary>
    private static async Task<(int Status, JsonNode? Body)> RetryWhileTasksLingerAsync(Func<Task<(int Status, JsonNode? Body)>> request)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var result = await request();
            if (result.Status != 500 || DateTime.UtcNow > deadline || result.Body?["message"]?.GetValue<string>().Contains("haven't stopped completely", StringComparison.Ordinal) != true)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }
}
