using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Known answers for both crash windows, the rebalance placed mid-stream and the settle rule, with test sinks of known defects.</summary>
public sealed class CrashWindowKnownAnswerTests(WindowSinkFixture fixture) : IClassFixture<WindowSinkFixture>
{
    [Fact]
    public async Task CrashAfterOffsetCommit_SinkThatCommitsBeforeWriting_IsRedWithLostRecordsAndAKillOnTheFrozenWorker()
    {
        var result = await fixture.RunAsync(Scenario("window/commit-first/crash-after-offset-commit"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.Report!.ForbiddenAnomalies.Should().Contain(AnomalyKind.Lost);
        var window = result.CrashWindow!;
        window.Kind.Should().Be(CrashWindowKind.CommitAheadOfTarget);
        window.InsideWindow.Should().BeTrue();
        window.Frozen.Should().BeTrue();
        window.Drained.Should().BeTrue(window.FreezeDetail);
        result.Report[AnomalyKind.Lost].Count.Should().Be(window.RecordsBehind, "the records committed and not written at the kill are exactly the ones lost");
    }

    [Fact]
    public async Task RebalanceWorkerJoins_SinkThatDropsItsBufferOnRevocation_IsRedWithLostRecordsAndJoinsMidStream()
    {
        var result = await fixture.RunAsync(Scenario("window/revocation-drop/rebalance-join"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.Report!.ForbiddenAnomalies.Should().Contain(AnomalyKind.Lost);
        LandedMidStream(result);
    }

    [Theory]
    [InlineData("window/idempotent/none")]
    [InlineData("window/idempotent/crash-after-target-write")]
    [InlineData("window/idempotent/rebalance-join")]
    [InlineData("window/idempotent/rebalance-dies")]
    public async Task IdempotentSink_EveryCaseWhoseWindowOpens_IsGreen(string name)
    {
        var result = await fixture.RunAsync(Scenario(name));

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.Settled, result.Summarize());
        if (result.CrashWindow is { } window)
        {
            window.InsideWindow.Should().BeTrue();
            window.Frozen.Should().BeTrue();
        }
    }

    [Fact]
    public async Task CrashAfterOffsetCommit_IdempotentSink_IsGreenWithTheFindingThatTheWindowNeverOpened()
    {
        var result = await fixture.RunAsync(Scenario("window/idempotent/crash-after-offset-commit"));

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
        result.CrashWindow.Should().BeNull();
    }

    [Fact]
    public async Task RebalanceWorkerJoins_IdempotentSink_LandsMidStream()
    {
        var result = await fixture.RunAsync(Scenario("window/idempotent/rebalance-join"));

        result.Should().BeGreen();
        LandedMidStream(result);
    }

    [Fact]
    public async Task NoFault_SinkThatPublishesEveryOneAndAHalfSeconds_IsGreenNotGradedMidFlush()
    {
        var result = await fixture.RunAsync(Scenario("window/write-behind/none"));

        result.Should().BeGreen();
        result.Report!.InTarget.Should().Be(1000);
    }

    [Theory]
    [InlineData("crash-after-offset-commit/postgres-insert")]
    [InlineData("crash-after-offset-commit/postgres-upsert")]
    public async Task CrashAfterOffsetCommit_ReferenceSink_IsGreenWithTheFinding(string name)
    {
        var result = await fixture.RunAsync(ReferenceMatrix.Scenarios.Single(s => s.Name == name).Scenario);

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
    }

    private static void LandedMidStream(ScenarioResult result)
    {
        result.Reasons.Should().NotContain(r => r.Contains("landed after the stream", StringComparison.Ordinal));
        result.Evidence.OfType<FaultActionEvidence>().Should().ContainSingle(a => a.Action == "rebalance-landed")
            .Which.Detail.Should().StartWith("The rebalance landed mid-stream");
    }

    private static SinkIdempotency.Scenarios.Scenario Scenario(string name) => WindowSinkScenarios.KnownAnswers.Single(k => k.Scenario.Name == name).Scenario;
}
