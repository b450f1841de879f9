using SinkIdempotency.Connect;
using SinkIdempotency.Tests.Support;

namespace SinkIdempotency.Tests.Connect;

public sealed class ConnectRestClientWaitingTests : IAsyncLifetime
{
    private FakeConnectServer _server = null!;
    private ConnectRestClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeConnectServer.StartAsync();
        _client = new ConnectRestClient(_server.Url, new ConnectRestClientOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task WaitForConnectorRunningAsync_NotFoundThenUnassignedThenRunning_ReturnsRunningStatus()
    {
        _server.Respond(
            "GET",
            "/connectors/s/status",
            new CannedResponse(404, """{"error_code":404,"message":"No status found for connector s"}"""),
            new CannedResponse(200, Status("RUNNING", ("UNASSIGNED", 0), ("RUNNING", 1))),
            new CannedResponse(200, Status("RUNNING", ("RUNNING", 0), ("RUNNING", 1))));

        var status = await _client.WaitForConnectorRunningAsync("s", 2, TimeSpan.FromSeconds(30), Token);

        status.IsAll(ConnectorStates.Running, 2).Should().BeTrue();
        _server.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task WaitForConnectorRunningAsync_FewerTasksForever_TimesOutShowingLastStatus()
    {
        _server.Respond("GET", "/connectors/s/status", 200, Status("RUNNING", ("RUNNING", 0)));

        var wait = () => _client.WaitForConnectorRunningAsync("s", 2, TimeSpan.FromMilliseconds(300), Token);

        (await wait.Should().ThrowAsync<TimeoutException>()).WithMessage("Connector 's' was not RUNNING with 2 RUNNING task(s) within 0.3 s; last status: {\"name\":\"s\"*");
    }

    [Fact]
    public async Task WaitForTaskStateAsync_TaskFails_ReturnsStatusWithTrace()
    {
        _server.Respond(
            "GET",
            "/connectors/s/status",
            new CannedResponse(200, Status("RUNNING", ("RUNNING", 0))),
            new CannedResponse(200, """{"name":"s","connector":{"state":"RUNNING","worker_id":"w:1"},"tasks":[{"id":0,"state":"FAILED","worker_id":"w:1","trace":"boom"}],"type":"sink"}"""));

        var status = await _client.WaitForTaskStateAsync("s", 0, ConnectorStates.Failed, TimeSpan.FromSeconds(30), Token);

        status.Tasks.Single().Trace.Should().Be("boom");
    }

    [Fact]
    public async Task WaitForConnectorStoppedAsync_StoppedButTasksLinger_WaitsUntilTasksGone()
    {
        _server.Respond(
            "GET",
            "/connectors/s/status",
            new CannedResponse(200, Status("STOPPED", ("RUNNING", 0))),
            new CannedResponse(200, Status("STOPPED")));

        var status = await _client.WaitForConnectorStoppedAsync("s", TimeSpan.FromSeconds(30), Token);

        status.Tasks.Should().BeEmpty();
        _server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task WaitForConnectorDeletedAsync_ExistsThenNotFound_Completes()
    {
        _server.Respond(
            "GET",
            "/connectors/s/status",
            new CannedResponse(200, Status("RUNNING")),
            new CannedResponse(404, """{"error_code":404,"message":"No status found for connector s"}"""));

        await _client.WaitForConnectorDeletedAsync("s", TimeSpan.FromSeconds(30), Token);

        _server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task WaitForConnectorPausedAsync_FakeClock_TimesOutOnlyWhenClockPassesDeadline()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var client = new ConnectRestClient(_server.Url, new ConnectRestClientOptions { TimeProvider = clock, PollInterval = TimeSpan.FromSeconds(1) });
        _server.Respond("GET", "/connectors/s/status", 200, Status("RUNNING", ("RUNNING", 0)));

        var wait = client.WaitForConnectorPausedAsync("s", 1, TimeSpan.FromSeconds(10), Token);
        var advanced = TimeSpan.Zero;
        var realDeadline = DateTime.UtcNow.AddSeconds(60);
        while (!wait.IsCompleted && DateTime.UtcNow < realDeadline)
        {
            await Task.Delay(10, Token);
            clock.Advance(TimeSpan.FromMilliseconds(250));
            advanced += TimeSpan.FromMilliseconds(250);
        }

        var act = () => wait;
        await act.Should().ThrowAsync<TimeoutException>();
        advanced.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(10), "the wait may only give up once the fake clock passed its deadline");
        _server.Requests.Count.Should().BeGreaterThan(1);
    }

    private static string Status(string connectorState, params (string State, int Id)[] tasks) =>
        $$"""{"name":"s","connector":{"state":"{{connectorState}}","worker_id":"127.0.0.1:8083"},"tasks":[{{string.Join(',', tasks.Select(t => $$"""{"id":{{t.Id}},"state":"{{t.State}}","worker_id":"127.0.0.1:8083"}"""))}}],"type":"sink"}""";
}
