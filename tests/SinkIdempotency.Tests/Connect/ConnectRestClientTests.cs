using System.Net;
using System.Text.Json;
using SinkIdempotency.Connect;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Connect;

public sealed class ConnectRestClientTests : IAsyncLifetime
{
    private const string StatusJson = """
        {"name":"orders-sink","connector":{"state":"RUNNING","worker_id":"10.0.0.1:8083"},
         "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.0.1:8083"},
                  {"id":1,"state":"FAILED","worker_id":"10.0.0.2:8083","trace":"org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.\n\tat x"}],
         "type":"sink"}
        """;

    private const string InfoJson = """
        {"name":"orders-sink","config":{"connector.class":"PostgresSink","topics":"orders","tasks.max":"2","name":"orders-sink"},
         "tasks":[{"connector":"orders-sink","task":0},{"connector":"orders-sink","task":1}],"type":"sink"}
        """;

    private FakeConnectServer _server = null!;
    private ConnectRestClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeConnectServer.StartAsync();
        _client = new ConnectRestClient(_server.Url, new ConnectRestClientOptions { RebalanceRetryTimeout = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(20) });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetServerInfoAsync_ConnectAnswer_ParsesVersionCommitAndCluster()
    {
        _server.Respond("GET", "/", 200, """{"version":"3.9.0","commit":"a60e31147e6b01ee","kafka_cluster_id":"lkc-abc"}""");

        var info = await _client.GetServerInfoAsync(Token);

        info.Should().Be(new ConnectServerInfo("3.9.0", "a60e31147e6b01ee", "lkc-abc"));
        _server.Requests.Single().Path.Should().Be("/");
    }

    [Fact]
    public async Task ListConnectorsAsync_ConnectAnswer_ReturnsNames()
    {
        _server.Respond("GET", "/connectors", 200, """["a","orders-sink"]""");

        var names = await _client.ListConnectorsAsync(Token);

        names.Should().Equal("a", "orders-sink");
    }

    [Fact]
    public async Task ListConnectorsExpandedAsync_StatusAndInfo_SendsBothExpandsAndParsesEach()
    {
        _server.Respond("GET", "/connectors", 200, "{\"orders-sink\":{\"status\":" + StatusJson + ",\"info\":" + InfoJson + "}}");

        var expanded = await _client.ListConnectorsExpandedAsync(cancellationToken: Token);

        _server.Requests.Single().Query.Should().Be("?expand=status&expand=info");
        expanded.Should().ContainKey("orders-sink");
        expanded["orders-sink"].Status!.Tasks.Should().HaveCount(2);
        expanded["orders-sink"].Info!.Config["topics"].Should().Be("orders");
    }

    [Fact]
    public async Task ListConnectorsExpandedAsync_StatusOnly_InfoIsNull()
    {
        _server.Respond("GET", "/connectors", 200, "{\"orders-sink\":{\"status\":" + StatusJson + "}}");

        var expanded = await _client.ListConnectorsExpandedAsync(status: true, info: false, Token);

        _server.Requests.Single().Query.Should().Be("?expand=status");
        expanded["orders-sink"].Info.Should().BeNull();
    }

    [Fact]
    public async Task CreateConnectorAsync_WithInitialState_PostsNameConfigAndState()
    {
        _server.Respond("POST", "/connectors", 201, InfoJson);
        var config = new Dictionary<string, string> { ["connector.class"] = "PostgresSink", ["topics"] = "orders", ["tasks.max"] = "2" };

        var info = await _client.CreateConnectorAsync("orders-sink", config, ConnectorStates.Stopped, Token);

        var request = _server.Requests.Single();
        request.Method.Should().Be("POST");
        request.ContentType.Should().StartWith("application/json");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("name").GetString().Should().Be("orders-sink");
        body.RootElement.GetProperty("config").GetProperty("tasks.max").GetString().Should().Be("2");
        body.RootElement.GetProperty("initial_state").GetString().Should().Be("STOPPED");
        info.Tasks.Should().Equal(new ConnectorTaskId("orders-sink", 0), new ConnectorTaskId("orders-sink", 1));
        info.Type.Should().Be("sink");
    }

    [Fact]
    public async Task CreateConnectorAsync_WithoutInitialState_OmitsIt()
    {
        _server.Respond("POST", "/connectors", 201, InfoJson);

        await _client.CreateConnectorAsync("orders-sink", new Dictionary<string, string> { ["topics"] = "orders" }, cancellationToken: Token);

        using var body = JsonDocument.Parse(_server.Requests.Single().Body);
        body.RootElement.TryGetProperty("initial_state", out _).Should().BeFalse();
    }

    [Fact]
    public async Task CreateConnectorAsync_AlreadyExists_ThrowsConflictWithConnectMessageWithoutRetrying()
    {
        _server.Respond("POST", "/connectors", 409, """{"error_code":409,"message":"Connector orders-sink already exists"}""");

        var create = () => _client.CreateConnectorAsync("orders-sink", new Dictionary<string, string>(), cancellationToken: Token);

        var error = (await create.Should().ThrowAsync<ConnectRestException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
        error.ErrorCode.Should().Be(409);
        error.ConnectMessage.Should().Be("Connector orders-sink already exists");
        error.Method.Should().Be("POST");
        error.Path.Should().Be("/connectors");
        error.IsRebalanceInProgress.Should().BeFalse();
        error.Message.Should().Be("Kafka Connect answered 409 Conflict to POST /connectors: Connector orders-sink already exists");
        _server.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task CreateConnectorAsync_InvalidConfig_ThrowsBadRequestWithConnectMessage()
    {
        _server.Respond("POST", "/connectors", 400, """{"error_code":400,"message":"Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration \"topics\"\n"}""");

        var create = () => _client.CreateConnectorAsync("x", new Dictionary<string, string>(), cancellationToken: Token);

        var error = (await create.Should().ThrowAsync<ConnectRestException>()).Which;
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.ConnectMessage.Should().StartWith("Connector configuration is invalid and contains the following 1 error(s)");
    }

    [Fact]
    public async Task GetConnectorAsync_NameNeedsEscaping_EscapesPathSegment()
    {
        _server.Respond("GET", "/connectors/my sink", 200, InfoJson);

        await _client.GetConnectorAsync("my sink", Token);

        _server.Requests.Single().Path.Should().Be("/connectors/my sink");
    }

    [Fact]
    public async Task GetConnectorAsync_Missing_ThrowsNotFound()
    {
        _server.Respond("GET", "/connectors/nope", 404, """{"error_code":404,"message":"Connector nope not found"}""");

        var get = () => _client.GetConnectorAsync("nope", Token);

        (await get.Should().ThrowAsync<ConnectRestException>()).Which.Should().Match<ConnectRestException>(e => e.StatusCode == HttpStatusCode.NotFound && e.ConnectMessage == "Connector nope not found");
    }

    [Fact]
    public async Task GetConnectorConfigAsync_ConnectAnswer_ReturnsFlatMap()
    {
        _server.Respond("GET", "/connectors/orders-sink/config", 200, """{"connector.class":"PostgresSink","name":"orders-sink"}""");

        var config = await _client.GetConnectorConfigAsync("orders-sink", Token);

        config.Should().Contain("name", "orders-sink").And.HaveCount(2);
    }

    [Fact]
    public async Task PutConnectorConfigAsync_Config_PutsFlatMapAndParsesInfo()
    {
        _server.Respond("PUT", "/connectors/orders-sink/config", 200, InfoJson);

        var info = await _client.PutConnectorConfigAsync("orders-sink", new Dictionary<string, string> { ["tasks.max"] = "2" }, Token);

        _server.Requests.Single().Body.Should().Be("""{"tasks.max":"2"}""");
        info.Name.Should().Be("orders-sink");
    }

    [Fact]
    public async Task PatchConnectorConfigAsync_NullValue_SendsJsonNullToRemoveKey()
    {
        _server.Respond("PATCH", "/connectors/orders-sink/config", 200, InfoJson);

        await _client.PatchConnectorConfigAsync("orders-sink", new Dictionary<string, string?> { ["tasks.max"] = "3", ["errors.tolerance"] = null }, Token);

        _server.Requests.Single().Body.Should().Be("""{"tasks.max":"3","errors.tolerance":null}""");
    }

    [Fact]
    public async Task GetConnectorStatusAsync_ConnectAnswer_ParsesStatesWorkersAndTrace()
    {
        _server.Respond("GET", "/connectors/orders-sink/status", 200, StatusJson);

        var status = await _client.GetConnectorStatusAsync("orders-sink", Token);

        status.Connector.Should().Be(new ConnectorInstanceStatus("RUNNING", "10.0.0.1:8083", null));
        status.Tasks[0].Trace.Should().BeNull();
        status.Tasks[1].State.Should().Be(ConnectorStates.Failed);
        status.Tasks[1].WorkerId.Should().Be("10.0.0.2:8083");
        status.Tasks[1].Trace.Should().StartWith("org.apache.kafka.connect.errors.ConnectException");
        status.IsAll(ConnectorStates.Running, 2).Should().BeFalse();
    }

    [Fact]
    public async Task GetConnectorTasksAsync_ConnectAnswer_ParsesIdsAndConfigs()
    {
        _server.Respond("GET", "/connectors/orders-sink/tasks", 200, """[{"id":{"connector":"orders-sink","task":0},"config":{"task.class":"PostgresSinkTask","topics":"orders"}}]""");

        var tasks = await _client.GetConnectorTasksAsync("orders-sink", Token);

        tasks.Single().Id.Should().Be(new ConnectorTaskId("orders-sink", 0));
        tasks.Single().Config["task.class"].Should().Be("PostgresSinkTask");
    }

    [Fact]
    public async Task GetTaskStatusAsync_ConnectAnswer_ParsesTaskState()
    {
        _server.Respond("GET", "/connectors/orders-sink/tasks/1/status", 200, """{"id":1,"state":"RUNNING","worker_id":"127.0.0.1:8083"}""");

        var task = await _client.GetTaskStatusAsync("orders-sink", 1, Token);

        task.Should().Be(new ConnectorTaskStatus(1, "RUNNING", "127.0.0.1:8083", null));
    }

    [Fact]
    public async Task GetConnectorTopicsAsync_ConnectAnswer_ReturnsTopics()
    {
        _server.Respond("GET", "/connectors/orders-sink/topics", 200, """{"orders-sink":{"topics":["orders","refunds"]}}""");

        var topics = await _client.GetConnectorTopicsAsync("orders-sink", Token);

        topics.Should().Equal("orders", "refunds");
    }

    [Fact]
    public async Task PauseResumeStop_Accepted_UseConnectMethodsAndPaths()
    {
        _server.Respond("PUT", "/connectors/orders-sink/pause", 202);
        _server.Respond("PUT", "/connectors/orders-sink/resume", 202);
        _server.Respond("PUT", "/connectors/orders-sink/stop", 204);

        await _client.PauseConnectorAsync("orders-sink", Token);
        await _client.ResumeConnectorAsync("orders-sink", Token);
        await _client.StopConnectorAsync("orders-sink", Token);

        _server.Requests.Select(r => $"{r.Method} {r.Path}").Should().Equal(
            "PUT /connectors/orders-sink/pause", "PUT /connectors/orders-sink/resume", "PUT /connectors/orders-sink/stop");
    }

    [Fact]
    public async Task RestartConnectorAsync_Legacy204_ReturnsNullAndSendsFalseFlags()
    {
        _server.Respond("POST", "/connectors/orders-sink/restart", 204);

        var status = await _client.RestartConnectorAsync("orders-sink", cancellationToken: Token);

        status.Should().BeNull();
        _server.Requests.Single().Query.Should().Be("?includeTasks=false&onlyFailed=false");
    }

    [Fact]
    public async Task RestartConnectorAsync_IncludeTasksOnlyFailed_Returns202StatusWithRestarting()
    {
        _server.Respond("POST", "/connectors/orders-sink/restart", 202, """
            {"name":"orders-sink","connector":{"state":"RUNNING","worker_id":"10.0.0.1:8083"},
             "tasks":[{"id":0,"state":"RUNNING","worker_id":"10.0.0.1:8083"},{"id":1,"state":"RESTARTING","worker_id":"10.0.0.2:8083"}],"type":"sink"}
            """);

        var status = await _client.RestartConnectorAsync("orders-sink", includeTasks: true, onlyFailed: true, Token);

        _server.Requests.Single().Query.Should().Be("?includeTasks=true&onlyFailed=true");
        status!.Tasks.Single(t => t.Id == 1).State.Should().Be(ConnectorStates.Restarting);
    }

    [Fact]
    public async Task RestartTaskAsync_NoContent_PostsTaskRestart()
    {
        _server.Respond("POST", "/connectors/orders-sink/tasks/0/restart", 204);

        await _client.RestartTaskAsync("orders-sink", 0, Token);

        _server.Requests.Single().Method.Should().Be("POST");
    }

    [Fact]
    public async Task DeleteConnectorIfExistsAsync_Missing_ReturnsFalse()
    {
        _server.Respond("DELETE", "/connectors/gone", 404, """{"error_code":404,"message":"Connector gone not found"}""");
        _server.Respond("DELETE", "/connectors/here", 204);

        (await _client.DeleteConnectorIfExistsAsync("gone", Token)).Should().BeFalse();
        (await _client.DeleteConnectorIfExistsAsync("here", Token)).Should().BeTrue();
    }

    [Fact]
    public async Task ListConnectorPluginsAsync_ConnectAnswer_ParsesClassTypeVersion()
    {
        _server.Respond("GET", "/connector-plugins", 200, """[{"class":"io.confluent.connect.jdbc.JdbcSinkConnector","type":"sink","version":"10.7.4"}]""");

        var plugins = await _client.ListConnectorPluginsAsync(cancellationToken: Token);

        plugins.Single().Should().Be(new ConnectorPluginInfo("io.confluent.connect.jdbc.JdbcSinkConnector", "sink", "10.7.4"));
        _server.Requests.Single().Query.Should().Be("?connectorsOnly=true");
    }

    [Fact]
    public async Task ValidateConnectorConfigAsync_Errors_ParsesDefinitionsAndErrorsByKey()
    {
        _server.Respond("PUT", "/connector-plugins/PostgresSink/config/validate", 200, """
            {"name":"PostgresSink","error_count":1,"groups":["Common","Connection"],
             "configs":[
              {"definition":{"name":"topics","type":"LIST","required":false,"default_value":"","importance":"HIGH","documentation":"List of topics to consume","group":"Common","order":4,"width":"LONG","display_name":"Topics","dependents":[]},
               "value":{"name":"topics","value":"orders","recommended_values":[],"errors":[],"visible":true}},
              {"definition":{"name":"connection.url","type":"STRING","required":true,"default_value":null,"importance":"HIGH","documentation":"JDBC URL","group":"Connection","order":1,"width":"LONG","display_name":"JDBC URL","dependents":[]},
               "value":{"name":"connection.url","value":null,"recommended_values":[],"errors":["Missing required configuration \"connection.url\" which has no default value."],"visible":true}}]}
            """);

        var result = await _client.ValidateConnectorConfigAsync("PostgresSink", new Dictionary<string, string> { ["connector.class"] = "PostgresSink", ["topics"] = "orders" }, Token);

        result.ErrorCount.Should().Be(1);
        result.Configs[1].Definition!.Required.Should().BeTrue();
        result.ErrorsByKey().Should().ContainSingle().Which.Key.Should().Be("connection.url");
        _server.Requests.Single().Body.Should().Be("""{"connector.class":"PostgresSink","topics":"orders"}""");
    }

    [Fact]
    public async Task GetConnectorOffsetsAsync_SinkOffsets_ReadsNumbersAndStrings()
    {
        _server.Respond("GET", "/connectors/orders-sink/offsets", 200, """
            {"offsets":[{"partition":{"kafka_topic":"orders","kafka_partition":1},"offset":{"kafka_offset":"12"}},
                        {"partition":{"kafka_topic":"orders","kafka_partition":0},"offset":{"kafka_offset":5}}]}
            """);

        var offsets = await _client.GetConnectorOffsetsAsync("orders-sink", Token);

        offsets.ToSinkOffsets().Should().Equal(new SinkPartitionOffset("orders", 0, 5), new SinkPartitionOffset("orders", 1, 12));
    }

    [Fact]
    public async Task AlterConnectorOffsetsAsync_SinkOffsets_PatchesConnectShapeAndReturnsMessage()
    {
        _server.Respond("PATCH", "/connectors/orders-sink/offsets", 200, """{"message":"The offsets for this connector have been altered successfully"}""");

        var message = await _client.AlterConnectorOffsetsAsync(
            "orders-sink",
            ConnectorOffsets.ForSink([new SinkPartitionOffset("orders", 0, 3), new SinkPartitionOffset("orders", 1, null)]),
            Token);

        message.Should().Be("The offsets for this connector have been altered successfully");
        _server.Requests.Single().Body.Should().Be(
            """{"offsets":[{"partition":{"kafka_topic":"orders","kafka_partition":0},"offset":{"kafka_offset":3}},{"partition":{"kafka_topic":"orders","kafka_partition":1},"offset":null}]}""");
    }

    [Fact]
    public async Task AlterConnectorOffsetsAsync_NotStopped_ThrowsWithConnectMessage()
    {
        _server.Respond("PATCH", "/connectors/orders-sink/offsets", 400, """{"error_code":400,"message":"Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/orders-sink/stop' endpoint"}""");

        var alter = () => _client.AlterConnectorOffsetsAsync("orders-sink", ConnectorOffsets.ForSink([new SinkPartitionOffset("orders", 0, 0)]), Token);

        (await alter.Should().ThrowAsync<ConnectRestException>()).Which.ConnectMessage.Should().StartWith("Connectors must be in the STOPPED state");
    }

    [Fact]
    public async Task ResetConnectorOffsetsAsync_Ok_DeletesAndReturnsMessage()
    {
        _server.Respond("DELETE", "/connectors/orders-sink/offsets", 200, """{"message":"The offsets for this connector have been reset successfully"}""");

        var message = await _client.ResetConnectorOffsetsAsync("orders-sink", Token);

        message.Should().Be("The offsets for this connector have been reset successfully");
    }

    [Fact]
    public async Task AnyCall_RebalanceConflictThenSuccess_RetriesUntilSuccess()
    {
        _server.Respond(
            "GET",
            "/connectors",
            new CannedResponse(409, """{"error_code":409,"message":"Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)"}"""),
            new CannedResponse(409, """{"error_code":409,"message":"Cannot complete request because of a conflicting operation (e.g. worker rebalance)"}"""),
            new CannedResponse(200, """["a"]"""));

        var names = await _client.ListConnectorsAsync(Token);

        names.Should().Equal("a");
        _server.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task AnyCall_ErrorBodyNotJson_UsesRawBodyAsMessage()
    {
        _server.Respond("GET", "/connectors", 502, "Bad gateway from a proxy");

        var list = () => _client.ListConnectorsAsync(Token);

        var error = (await list.Should().ThrowAsync<ConnectRestException>()).Which;
        error.ErrorCode.Should().BeNull();
        error.ConnectMessage.Should().Be("Bad gateway from a proxy");
    }

    [Fact]
    public async Task AnyCall_WorkerDown_ThrowsHttpRequestExceptionNamingTheWorker()
    {
        var url = _server.Url;
        await _server.DisposeAsync();
        using var client = new ConnectRestClient(url);

        var list = () => client.ListConnectorsAsync(Token);

        (await list.Should().ThrowAsync<HttpRequestException>()).WithMessage($"Kafka Connect at {url} could not be reached for GET /connectors*");
        _server = await FakeConnectServer.StartAsync();
    }

    [Fact]
    public void Constructor_RelativeUrl_ThrowsWithExample()
    {
        var create = () => new ConnectRestClient(new Uri("/connect", UriKind.Relative));

        create.Should().Throw<ArgumentException>().WithMessage("*must be an absolute http or https URL such as http://127.0.0.1:8083/*");
    }
}
