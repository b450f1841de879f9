using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs known answers against the HTTP targets on the embedded environment: the worker's HTTP sink POSTing plain requests (known bad) or requests carrying an idempotency key made of the Kafka coordinates (known good) to the harness's HTTP API, target timeouts through the proxy's HTTP gate.</summary>
public sealed class HttpKnownAnswerTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task TargetTimeout_Plain_IsRedWithTheRetriedRequestDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout", keyed: false));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Evidence.OfType<ProxyCountersEvidence>().SelectMany(e => e.WithheldReplies ?? []).Should().Contain(r => r.Reply.StartsWith("the HTTP response 'HTTP/1.1 200", StringComparison.Ordinal));
        result.Evidence.OfType<FaultActionEvidence>().Should().Contain(e => e.Action == "withhold-durable-write-reply")
            .Which.Detail.Should().Contain("a final response with a 2xx status").And.NotContain("CommandComplete");
        await ShouldHaveReadTheRunsPathAsync(result);
    }

    [Fact]
    public async Task TargetTimeout_IdempotencyKey_IsGreenWithTheRetryCollapsed()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout", keyed: true));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.InTarget.Should().Be(1000);
        result.Evidence.OfType<ProxyCountersEvidence>().SelectMany(e => e.WithheldReplies ?? []).Should().NotBeEmpty();
        await ShouldHaveReadTheRunsPathAsync(result);
    }

    [Fact]
    public async Task Replay_Plain_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay", keyed: false));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
    }

    [Fact]
    public async Task Replay_IdempotencyKey_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay", keyed: true));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.InTarget.Should().Be(1000);
    }

    [Fact]
    public async Task CrashAfterTargetWrite_Plain_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", keyed: false));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.Drained.Should().BeTrue(result.CrashWindow.FreezeDetail);
        result.CrashWindow.FreezeDetail.Should().Contain("HTTP target server", "the server was asked for requests in progress");
    }

    [Fact]
    public async Task CrashAfterTargetWrite_IdempotencyKey_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", keyed: true));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive("requests were applied before their offsets were committed");
        result.Report!.InTarget.Should().Be(1000);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrashAfterOffsetCommit_ReferenceSink_IsGreenWithTheFinding(bool keyed)
    {
        // The HTTP sink's put returns only after every POST got its 2xx, before Connect commits the offsets: the loss window never opens.
        var result = await fixture.RunAsync(Scenario("crash-after-offset-commit", keyed));

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
        result.CrashWindow.Should().BeNull();
        await ShouldHaveReadTheRunsPathAsync(result);
    }

    private static Scenario Scenario(string fault, bool keyed) =>
        ReferenceMatrix.Make($"{fault}/{(keyed ? "http-key" : "http-plain")}", ReferenceMatrix.HttpSink, DeclaredSemantics.ExactlyOnceEffect, FaultCatalog.Find(fault)!.Reference())
            .WithTarget(ScenarioTarget.Http(keyed, ReferenceMatrix.Mapping));

    // The rows were read from the environment's HTTP server under the run's path, and the path is forgotten afterwards.
    private async Task ShouldHaveReadTheRunsPathAsync(ScenarioResult result)
    {
        var driver = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var server = ((EmbeddedEnvironment)driver.Environment!).HttpServer;
        server.Should().NotBeNull();
        var read = result.Evidence.OfType<TargetEvidence>().Where(e => e.Target.StartsWith("HTTP target server at " + server!.Url + " path /si_", StringComparison.Ordinal)).ToList();
        read.Should().NotBeEmpty();
        var path = read[^1].Target[(read[^1].Target.LastIndexOf(' ') + 1)..];
        read.Max(e => e.Rows).Should().BeGreaterThanOrEqualTo(1000);
        server!.RecordsAt(path).Should().BeEmpty("the run's path is forgotten when the run is cleaned up");
    }
}
