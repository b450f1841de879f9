using System.Text.Json.Nodes;
using SinkIdempotency.Worker.Tests.Support;

namespace SinkIdempotency.Worker.Tests.Rest;

/// <summary>REST API shapes, status codes and lifecycle operations against a real worker process.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ConnectRestApiTests(WorkerEnvironment env)
{
    [Fact]
    public async Task Lifecycle_CreateStatusPauseResumeStopDelete_MatchesConnectShapesAndCodes()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("life");
        var name = topic + "-sink";
        env.CreateTopic(topic, 1);
        await env.ProduceAsync(topic, 0, 10);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"), "--offset-flush-interval-ms", "1000");

        var (created, info) = await worker.Http.CreateConnectorAsync(name, env.PostgresConfig(topic, topic, "upsert", "kafka"));
        created.Should().Be(201);
        info!["name"]!.GetValue<string>().Should().Be(name);
        info["type"]!.GetValue<string>().Should().Be("sink");
        info["config"]!["name"]!.GetValue<string>().Should().Be(name);
        info["tasks"]!.ToJsonString().Should().Be($$"""[{"connector":"{{name}}","task":0}]""");
        (await worker.Http.WaitForStateAsync(name, "RUNNING", 1)).Should().BeTrue(worker.Log);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 10, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);

        var status = (await worker.Http.StatusAsync(name))!.AsObject();
        status.Select(p => p.Key).Should().Equal("name", "connector", "tasks", "type");
        status["connector"]!.AsObject().Select(p => p.Key).Should().Equal("state", "worker_id");
        status["connector"]!["worker_id"]!.GetValue<string>().Should().Be($"127.0.0.1:{worker.Url.Port}");
        status["tasks"]![0]!.AsObject().Select(p => p.Key).Should().Equal("id", "state", "worker_id");
        var (taskStatusCode, taskStatus) = await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/tasks/0/status");
        taskStatusCode.Should().Be(200);
        taskStatus!.ToJsonString().Should().Be($$"""{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:{{worker.Url.Port}}"}""");
        var (_, tasks) = await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/tasks");
        tasks![0]!["id"]!.ToJsonString().Should().Be($$"""{"connector":"{{name}}","task":0}""");
        tasks[0]!["config"]!["topics"]!.GetValue<string>().Should().Be(topic);
        var (_, list) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/connectors");
        list!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain(name);
        var (_, expanded) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/connectors?expand=status&expand=info");
        expanded![name]!["status"]!["connector"]!["state"]!.GetValue<string>().Should().Be("RUNNING");
        expanded[name]!["info"]!["type"]!.GetValue<string>().Should().Be("sink");

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/pause")).Status.Should().Be(202);
        (await worker.Http.WaitForStateAsync(name, "PAUSED", 1)).Should().BeTrue(worker.Log);
        await env.ProduceAsync(topic, 10, 5);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        (await env.CountAsync(topic)).Should().Be(10, "a paused connector writes nothing");
        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/resume")).Status.Should().Be(202);
        (await worker.Http.WaitForStateAsync(name, "RUNNING", 1)).Should().BeTrue(worker.Log);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 15, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/stop")).Status.Should().Be(204);
        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(name))?["connector"]?["state"]?.GetValue<string>() == "STOPPED")).Should().BeTrue(worker.Log);
        (await worker.Http.StatusAsync(name))!["tasks"]!.AsArray().Should().BeEmpty("a stopped connector has no tasks");
        (await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}/tasks")).Body!.AsArray().Should().BeEmpty();
        (await Eventually.TrueAsync(() => env.CommittedOffset($"connect-{name}", topic, 0) == 15)).Should().BeTrue("stopping commits the final offsets");
        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{name}/resume")).Status.Should().Be(202);
        (await worker.Http.WaitForStateAsync(name, "RUNNING", 1)).Should().BeTrue(worker.Log);

        (await worker.Http.SendJsonAsync(HttpMethod.Delete, $"/connectors/{name}")).Status.Should().Be(204);
        var (gone, goneBody) = await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{name}");
        gone.Should().Be(404);
        goneBody!.ToJsonString().Should().Be($$"""{"error_code":404,"message":"Connector {{name}} not found"}""");
        (await worker.Http.SendJsonAsync(HttpMethod.Get, "/connectors")).Body!.AsArray().Select(n => n!.GetValue<string>()).Should().NotContain(name);
    }

    [Fact]
    public async Task Errors_UnknownDuplicateInvalid_ReturnConnectErrorBodies()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("errors");
        env.CreateTopic(topic, 1);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));

        var (status404, body404) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/connectors/nope/status");
        status404.Should().Be(404);
        body404!.ToJsonString().Should().Be("""{"error_code":404,"message":"No status found for connector nope"}""");
        (await worker.Http.SendJsonAsync(HttpMethod.Put, "/connectors/nope/pause")).Body!.ToJsonString()
            .Should().Be("""{"error_code":404,"message":"Unknown connector nope"}""");
        (await worker.Http.SendJsonAsync(HttpMethod.Delete, "/connectors/nope")).Status.Should().Be(404);

        var missingUrl = env.PostgresConfig(topic, topic, "insert", "none");
        missingUrl.Remove("connection.url");
        var (status400, body400) = await worker.Http.CreateConnectorAsync(topic, missingUrl);
        status400.Should().Be(400);
        body400!["error_code"]!.GetValue<int>().Should().Be(400);
        body400["message"]!.GetValue<string>().Should().StartWith("Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration \"connection.url\" which has no default value.");

        var badClass = env.PostgresConfig(topic, topic, "insert", "none");
        badClass["connector.class"] = "com.example.NoSuchSink";
        var (statusClass, bodyClass) = await worker.Http.CreateConnectorAsync(topic, badClass);
        statusClass.Should().Be(400);
        bodyClass!["message"]!.GetValue<string>().Should().Contain("for configuration connector.class: Failed to find any class that implements Connector and which name matches com.example.NoSuchSink");

        var badMode = env.PostgresConfig(topic, topic, "merge", "none");
        (await worker.Http.CreateConnectorAsync(topic, badMode)).Body!["message"]!.GetValue<string>()
            .Should().Contain("Invalid value merge for configuration insert.mode: String must be one of: insert, upsert, update");

        (await worker.Http.CreateConnectorAsync(topic, env.PostgresConfig(topic, topic, "insert", "none"))).Status.Should().Be(201);
        var (status409, body409) = await worker.Http.CreateConnectorAsync(topic, env.PostgresConfig(topic, topic, "insert", "none"));
        status409.Should().Be(409);
        body409!.ToJsonString().Should().Be($$"""{"error_code":409,"message":"Connector {{topic}} already exists"}""");

        var (restartUnknown, restartBody) = await worker.Http.SendJsonAsync(HttpMethod.Post, $"/connectors/{topic}/tasks/7/restart");
        restartUnknown.Should().Be(404);
        restartBody!["message"]!.GetValue<string>().Should().Be($"Unknown task: {topic}-7");
        var (unknownPath, unknownBody) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/no/such/path");
        unknownPath.Should().Be(404);
        unknownBody!["error_code"]!.GetValue<int>().Should().Be(404);
    }

    [Fact]
    public async Task ConfigPut_CreateThenUpdate_Returns201Then200()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("put");
        env.CreateTopic(topic, 1);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));
        var config = JsonSerializerHelper.ToObject(env.PostgresConfig(topic, topic, "insert", "none"));

        (await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/config", config)).Status.Should().Be(201);
        config["insert.mode"] = "upsert";
        config["pk.mode"] = "kafka";
        var (updated, body) = await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/config", config);
        updated.Should().Be(200);
        body!["config"]!["insert.mode"]!.GetValue<string>().Should().Be("upsert");
        (await worker.Http.SendJsonAsync(HttpMethod.Get, $"/connectors/{topic}/config")).Body!["pk.mode"]!.GetValue<string>().Should().Be("kafka");

        config["name"] = "other";
        var (mismatch, mismatchBody) = await worker.Http.SendJsonAsync(HttpMethod.Put, $"/connectors/{topic}/config", config);
        mismatch.Should().Be(400);
        mismatchBody!["message"]!.GetValue<string>().Should().Be($"Connector name configuration (other) doesn't match connector name in the URL ({topic})");
    }

    [Fact]
    public async Task Validate_BadConfig_ReportsErrorsPerKey()
    {
        env.EnsureStarted();
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));

        var (status, body) = await worker.Http.SendJsonAsync(HttpMethod.Put, "/connector-plugins/PostgresSink/config/validate", new JsonObject
        {
            ["name"] = "v",
            ["topics"] = "t",
            ["pk.mode"] = "sometimes",
        });

        status.Should().Be(200);
        body!["name"]!.GetValue<string>().Should().Be("SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector");
        body["error_count"]!.GetValue<int>().Should().Be(2);
        var configs = body["configs"]!.AsArray();
        var url = configs.Single(c => c!["definition"]!["name"]!.GetValue<string>() == "connection.url")!;
        url["definition"]!["required"]!.GetValue<bool>().Should().BeTrue();
        url["value"]!["errors"]![0]!.GetValue<string>().Should().Be("Missing required configuration \"connection.url\" which has no default value.");
        var pk = configs.Single(c => c!["definition"]!["name"]!.GetValue<string>() == "pk.mode")!;
        pk["value"]!["errors"]![0]!.GetValue<string>().Should().StartWith("Invalid value sometimes for configuration pk.mode");
        pk["value"]!["recommended_values"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("none", "kafka", "record_key", "record_value");
        var (_, plugins) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/connector-plugins");
        plugins![0]!.ToJsonString().Should().Be("""{"class":"SinkIdempotency.Worker.Sinks.Postgres.PostgresSinkConnector","type":"sink","version":"1.0.0"}""");
    }

    [Fact]
    public async Task FailedTask_MissingTableWithoutAutoCreate_ShowsTraceAndRestartsOnlyFailed()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("failed");
        env.CreateTopic(topic, 1);
        await env.ProduceAsync(topic, 0, 5);
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));
        var config = env.PostgresConfig(topic, topic, "insert", "none");
        config["auto.create"] = "false";

        (await worker.Http.CreateConnectorAsync(topic, config)).Status.Should().Be(201);

        (await Eventually.TrueAsync(async () => (await worker.Http.StatusAsync(topic))?["tasks"]?.AsArray() is [{ } task] && task["state"]!.GetValue<string>() == "FAILED", TimeSpan.FromSeconds(60)))
            .Should().BeTrue(worker.Log);
        var failed = (await worker.Http.StatusAsync(topic))!;
        failed["connector"]!["state"]!.GetValue<string>().Should().Be("RUNNING");
        var trace = failed["tasks"]![0]!["trace"]!.GetValue<string>();
        trace.Should().StartWith("org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.");
        trace.Should().Contain($"Table \"{topic}\" is missing and auto-creation is disabled");

        await env.ExecuteAsync($"CREATE TABLE \"{topic}\" (id INT NOT NULL, name TEXT)");
        var (code, plan) = await worker.Http.SendJsonAsync(HttpMethod.Post, $"/connectors/{topic}/restart?includeTasks=true&onlyFailed=true");

        code.Should().Be(202);
        plan!["connector"]!["state"]!.GetValue<string>().Should().Be("RUNNING", "onlyFailed leaves a running connector alone");
        plan["tasks"]![0]!["state"]!.GetValue<string>().Should().Be("RESTARTING");
        (await worker.Http.WaitForStateAsync(topic, "RUNNING", 1)).Should().BeTrue(worker.Log);
        (await Eventually.TrueAsync(async () => await env.CountAsync(topic) == 5, TimeSpan.FromSeconds(60))).Should().BeTrue(worker.Log);
        (await worker.Http.SendJsonAsync(HttpMethod.Post, $"/connectors/{topic}/tasks/0/restart")).Status.Should().Be(204);
        (await worker.Http.SendJsonAsync(HttpMethod.Post, $"/connectors/{topic}/restart")).Status.Should().Be(204);
        (await worker.Http.WaitForStateAsync(topic, "RUNNING", 1)).Should().BeTrue(worker.Log);
    }

    [Fact]
    public async Task Root_ReturnsVersionCommitAndClusterId()
    {
        env.EnsureStarted();
        await using var worker = await env.StartWorkerAsync(WorkerEnvironment.Unique("cluster"));

        var (_, body) = await worker.Http.SendJsonAsync(HttpMethod.Get, "/");

        body!.AsObject().Select(p => p.Key).Should().Equal("version", "commit", "kafka_cluster_id");
        body["version"]!.GetValue<string>().Should().Be("3.9.0");
    }
}
