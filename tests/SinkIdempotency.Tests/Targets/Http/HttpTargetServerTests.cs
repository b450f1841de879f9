using System.Net;
using System.Text;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.Http;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Targets.Http;

public sealed class HttpTargetServerTests
{
    private static string Body(string eventId, string payload = "p") =>
        $$"""{"event_id":"{{eventId}}","key":"k1","version":3,"seq":0,"payload":"{{payload}}"}""";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri url, string body, string? key = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        request.Headers.Add("X-Kafka-Topic", "orders");
        request.Headers.Add("X-Kafka-Partition", "2");
        request.Headers.Add("X-Kafka-Offset", "41");
        return await client.SendAsync(request, cancellationToken);
    }

    [Fact]
    public void Options_Defaults_HonourKeysWithStandardHeader()
    {
        var options = new HttpTargetServerOptions();

        options.HonourIdempotencyKeys.Should().BeTrue();
        options.IdempotencyKeyHeader.Should().Be("Idempotency-Key");
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void Fault_Defaults_CatchOneRequestAndFailWith503()
    {
        var fault = HttpTargetFault.FailRequest();

        fault.StatusCode.Should().Be(503);
        fault.Times.Should().Be(1);
        fault.Delay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Fault_WithSuccessStatus_ThrowsNamingTheRange()
    {
        var act = () => HttpTargetFault.FailRequest(200).Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A failing response needs an error status code between 400 and 599.*");
    }

    [Fact]
    public async Task Post_NoFault_AppliesAndAudits()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var response = await PostAsync(client, new Uri(server.Url, "records"), Body("e1"), "orders+2+41", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        server.Url.Host.Should().Be("127.0.0.1");
        var audit = server.AuditLog.Should().ContainSingle().Subject;
        audit.Outcome.Should().Be(HttpRequestOutcome.Applied);
        audit.Response.Should().Be(HttpResponseFate.Sent);
        audit.IdempotencyKey.Should().Be("orders+2+41");
        audit.Path.Should().Be("/records");
        audit.BodyHash.Should().Be(ValueHash.Compute(Body("e1")));
        server.AppliedRecords.Should().ContainSingle().Which.Source.Should().Be(new SourcePosition("orders", 2, 41));
    }

    [Fact]
    public async Task Post_RepeatedKeyHonoured_AppliedOnce()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var first = await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);
        using var second = await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);

        second.StatusCode.Should().Be(HttpStatusCode.OK);
        server.AppliedCount.Should().Be(1);
        server.AuditLog.Select(r => r.Outcome).Should().Equal(HttpRequestOutcome.Applied, HttpRequestOutcome.DuplicateIgnored);
    }

    [Fact]
    public async Task Post_RepeatedKeyNotHonoured_AppliedTwice()
    {
        await using var server = await HttpTargetServer.StartAsync(new HttpTargetServerOptions { HonourIdempotencyKeys = false }, TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var first = await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);
        using var second = await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);

        server.AppliedCount.Should().Be(2);
        server.AuditLog.Select(r => r.Outcome).Should().Equal(HttpRequestOutcome.Applied, HttpRequestOutcome.Applied);
    }

    [Fact]
    public async Task Post_FailFault_AnswersStatusWithoutApplyingThenRecovers()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.FailRequest(500, times: 2));
        using var client = new HttpClient();

        using var first = await PostAsync(client, server.Url, Body("e1"), cancellationToken: TestContext.Current.CancellationToken);
        using var second = await PostAsync(client, server.Url, Body("e1"), cancellationToken: TestContext.Current.CancellationToken);
        using var third = await PostAsync(client, server.Url, Body("e1"), cancellationToken: TestContext.Current.CancellationToken);

        first.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        second.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        third.StatusCode.Should().Be(HttpStatusCode.OK);
        server.AppliedCount.Should().Be(1);
        server.AuditLog.Select(r => r.Outcome).Should().Equal(HttpRequestOutcome.Failed, HttpRequestOutcome.Failed, HttpRequestOutcome.Applied);
    }

    [Fact]
    public async Task Post_DropFault_AppliesButClientSeesNoResponse()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DropResponse());
        using var client = new HttpClient();

        var act = async () => await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<HttpRequestException>();
        server.AppliedCount.Should().Be(1);
        server.AuditLog.Should().ContainSingle().Which.Response.Should().Be(HttpResponseFate.Dropped);
    }

    [Fact]
    public async Task Post_DropFaultThenRetryWithHonouredKey_StoredOnce()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DropResponse());
        using var client = new HttpClient();

        await FluentActions.Awaiting(() => PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken)).Should().ThrowAsync<HttpRequestException>();
        using var retry = await PostAsync(client, server.Url, Body("e1"), "k-1", TestContext.Current.CancellationToken);

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        server.AppliedCount.Should().Be(1);
    }

    [Fact]
    public async Task Post_DelayFaultLongerThanClientTimeout_AppliedAndClientTimesOut()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DelayResponse(TimeSpan.FromSeconds(30)));
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        var act = async () => await PostAsync(client, server.Url, Body("e1"), cancellationToken: TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<TaskCanceledException>();
        server.AppliedCount.Should().Be(1);
        server.AuditLog.Should().ContainSingle().Which.Response.Should().Be(HttpResponseFate.Delayed);
    }

    [Fact]
    public async Task Post_StickyDelayShorterThanTimeout_AnswersLate()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DelayResponse(TimeSpan.FromMilliseconds(200), times: null));
        using var client = new HttpClient();
        var started = TimeProvider.System.GetTimestamp();

        using var first = await PostAsync(client, server.Url, Body("e1"), cancellationToken: TestContext.Current.CancellationToken);
        using var second = await PostAsync(client, server.Url, Body("e2"), cancellationToken: TestContext.Current.CancellationToken);

        TimeProvider.System.GetElapsedTime(started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400));
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        server.AuditLog.Should().OnlyContain(r => r.Response == HttpResponseFate.Delayed);
        server.ClearFaults();
        using var third = await PostAsync(client, server.Url, Body("e3"), cancellationToken: TestContext.Current.CancellationToken);
        server.AuditLog[^1].Response.Should().Be(HttpResponseFate.Sent);
    }

    [Fact]
    public async Task Get_Anything_RejectedWith405()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var response = await client.GetAsync(server.Url, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        server.AppliedCount.Should().Be(0);
        server.AuditLog.Should().ContainSingle().Which.Outcome.Should().Be(HttpRequestOutcome.Rejected);
    }

    [Fact]
    public async Task Reader_AppliedRecords_RowsCarryBodyFieldsAndSource()
    {
        await using var server = await HttpTargetServer.StartAsync(new HttpTargetServerOptions { HonourIdempotencyKeys = false }, TestContext.Current.CancellationToken);
        using var client = new HttpClient();
        using var a = await PostAsync(client, server.Url, Body("e1", "abc"), "k", TestContext.Current.CancellationToken);
        using var b = await PostAsync(client, server.Url, Body("e1", "abc"), "k", TestContext.Current.CancellationToken);
        using var c = await PostAsync(client, server.Url, "not json", cancellationToken: TestContext.Current.CancellationToken);

        var rows = new List<TargetRow>();
        await foreach (var row in server.CreateReader().ReadRowsAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        rows.Should().HaveCount(3);
        rows[0].Should().Be(new TargetRow("e1", "k1", 3, ValueHash.Compute("abc"), new SourcePosition("orders", 2, 41)));
        rows[1].Should().Be(rows[0]);
        rows[2].EventId.Should().BeNull();
    }

    [Fact]
    public async Task Reader_ReadAgainAfterNewAndRemovedRecords_RowsFollowTheServer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await HttpTargetServer.StartAsync(new HttpTargetServerOptions { HonourIdempotencyKeys = false }, ct);
        using var client = new HttpClient();
        var reader = server.CreateReader();

        async Task<List<string?>> ReadIdsAsync()
        {
            var ids = new List<string?>();
            await foreach (var row in reader.ReadRowsAsync(ct))
            {
                ids.Add(row.EventId);
            }

            return ids;
        }

        using (await PostAsync(client, new Uri(server.Url, "/a"), Body("a1"), cancellationToken: ct))
        using (await PostAsync(client, new Uri(server.Url, "/b"), Body("b1"), cancellationToken: ct))
        {
            (await ReadIdsAsync()).Should().Equal("a1", "b1");
        }

        using (await PostAsync(client, new Uri(server.Url, "/a"), Body("a1"), cancellationToken: ct))
        using (await PostAsync(client, new Uri(server.Url, "/a"), Body("a2"), cancellationToken: ct))
        {
            (await ReadIdsAsync()).Should().Equal("a1", "b1", "a1", "a2");
        }

        server.RemovePath("/a").Should().Be(3);
        (await ReadIdsAsync()).Should().Equal("b1");
        using (await PostAsync(client, new Uri(server.Url, "/a"), Body("a3"), cancellationToken: ct))
        {
            (await ReadIdsAsync()).Should().Equal("b1", "a3");
        }
    }
}
