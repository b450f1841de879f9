using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Sink;
using SinkIdempotency.Targets.Http;
using SinkIdempotency.Worker.Sinks.Http;

namespace SinkIdempotency.Worker.Tests.Sinks.Http;

public sealed class HttpSinkTaskTests
{
    private static async Task<(HttpSinkTask Task, SinkTestContext Context)> StartAsync(HttpTargetServer server, bool keys, bool reporter = false, int timeoutMs = 5000, int maxRetries = 3)
    {
        var config = new Dictionary<string, string>
        {
            ["http.url"] = new Uri(server.Url, "records").ToString(),
            ["http.idempotency.key.enable"] = keys ? "true" : "false",
            ["http.request.timeout.ms"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max.retries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["retry.backoff.ms"] = "10",
        };
        var context = new SinkTestContext(config, reporter);
        var task = new HttpSinkTask(NullLogger.Instance);
        task.Initialize(context);
        await task.StartAsync(config, CancellationToken.None);
        return (task, context);
    }

    [Fact]
    public void Config_Defaults_NoKeyThirtySecondTimeoutTenRetries()
    {
        var config = HttpSinkConfig.Parse(new Dictionary<string, string> { ["http.url"] = "http://127.0.0.1:1/" });

        config.IdempotencyKeyEnabled.Should().BeFalse();
        config.IdempotencyKeyHeader.Should().Be("Idempotency-Key");
        config.RequestTimeoutMs.Should().Be(30_000);
        config.MaxRetries.Should().Be(10);
        config.RetryBackoffMs.Should().Be(3_000);
    }

    [Fact]
    public void Config_NotHttpUrl_ErrorNamesKey()
    {
        var act = () => HttpSinkConfig.Parse(new Dictionary<string, string> { ["http.url"] = "ftp://x" });

        act.Should().Throw<ConfigException>().WithMessage("Invalid value ftp://x for configuration http.url: Must be an absolute http or https URL");
    }

    [Fact]
    public async Task Put_WithKeys_SendsTopicPartitionOffsetKeyAndBody()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (task, _) = await StartAsync(server, keys: true);

        await task.PutAsync(SinkTestContext.Records("orders", 1, 7, 9), CancellationToken.None);

        server.AuditLog.Select(r => r.IdempotencyKey).Should().Equal("orders+1+7", "orders+1+8");
        server.AppliedRecords[0].Body.Should().Contain("\"event_id\":\"orders-1-7\"");
        server.AppliedRecords[0].Source.Should().Be(new Workload.SourcePosition("orders", 1, 7));
    }

    [Fact]
    public async Task Put_DroppedResponseWithKeys_RetriedAndAppliedOnce()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DropResponse());
        var (task, _) = await StartAsync(server, keys: true);

        await task.PutAsync([SinkTestContext.Record("orders", 0, 0)], CancellationToken.None);

        server.AuditLog.Select(r => r.Outcome).Should().Equal(HttpRequestOutcome.Applied, HttpRequestOutcome.DuplicateIgnored);
        server.AppliedCount.Should().Be(1);
    }

    [Fact]
    public async Task Put_DroppedResponseWithoutKeys_RetriedAndAppliedTwice()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DropResponse());
        var (task, _) = await StartAsync(server, keys: false);

        await task.PutAsync([SinkTestContext.Record("orders", 0, 0)], CancellationToken.None);

        server.AppliedCount.Should().Be(2);
    }

    [Fact]
    public async Task Put_ResponseSlowerThanTimeoutWithoutKeys_TimesOutRetriesAndDuplicates()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.DelayResponse(TimeSpan.FromSeconds(20)));
        var (task, _) = await StartAsync(server, keys: false, timeoutMs: 300);

        await task.PutAsync([SinkTestContext.Record("orders", 0, 0)], CancellationToken.None);

        server.AuditLog.Select(r => r.Response).Should().Equal(HttpResponseFate.Delayed, HttpResponseFate.Sent);
        server.AppliedCount.Should().Be(2);
    }

    [Fact]
    public async Task Put_ServiceUnavailableTwice_RetriedInPlaceAppliedOnce()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.FailRequest(503, times: 2));
        var (task, _) = await StartAsync(server, keys: false);

        await task.PutAsync([SinkTestContext.Record("orders", 0, 0)], CancellationToken.None);

        server.AuditLog.Select(r => r.Outcome).Should().Equal(HttpRequestOutcome.Failed, HttpRequestOutcome.Failed, HttpRequestOutcome.Applied);
    }

    [Fact]
    public async Task Put_RetriesExhaustedWithoutReporter_ThrowsConnectException()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.FailRequest(500, times: null));
        var (task, _) = await StartAsync(server, keys: false, maxRetries: 2);

        var act = () => task.PutAsync([SinkTestContext.Record("orders", 0, 0)], CancellationToken.None);

        (await act.Should().ThrowAsync<ConnectException>()).Which.Should().NotBeOfType<RetriableException>()
            .And.Subject.As<ConnectException>().Message.Should().Contain("failed after 3 attempts (max.retries=2): status 500");
        server.AuditLog.Should().HaveCount(3);
    }

    [Fact]
    public async Task Put_BadRequestWithReporter_ReportedOnceAndNextRecordWritten()
    {
        await using var server = await HttpTargetServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        server.AddFault(HttpTargetFault.FailRequest(400));
        var (task, context) = await StartAsync(server, keys: false, reporter: true);

        await task.PutAsync(SinkTestContext.Records("orders", 0, 0, 2), CancellationToken.None);

        context.Reported.Should().ContainSingle().Which.Record.KafkaOffset.Should().Be(0);
        context.Reported[0].Error.Message.Should().Contain("not retriable: status 400");
        server.AuditLog.Should().HaveCount(2);
        server.AppliedRecords.Should().ContainSingle().Which.Source!.Value.Offset.Should().Be(1);
    }
}
