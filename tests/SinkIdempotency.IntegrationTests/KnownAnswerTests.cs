using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs each failure case on the embedded environment with a configuration that must come out red and one that must not.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class KnownAnswerTests(EmbeddedScenarioFixture fixture)
{
    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKey_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("timeout-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("timeout-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task Rebalance_WorkerDiesInsideTheWindowWithPlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("rebalance-dies-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task Rebalance_WorkerJoinsWithUpsert_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("rebalance-joins-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task SchemaBreak_ToleranceAllWithoutDeadLetterQueue_IsRedSilentlyDropped()
    {
        var result = await fixture.RunAsync(Scenario("poison-no-dlq"));

        result.Should().BeRed();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
    }

    [Fact]
    public async Task SchemaBreak_WithDeadLetterQueue_IsNotRedAndEveryPoisonIsDeadLettered()
    {
        var result = await fixture.RunAsync(Scenario("poison-dlq"));

        result.Should().NotBeRed().And.HaveDeadLettered(1).And.HaveNoSilentlyDroppedRecords().And.HaveNoLostRecords();
    }

    [Fact]
    public async Task Replay_PlainInsert_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
    }

    [Fact]
    public async Task Replay_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static SinkIdempotency.Scenarios.Scenario Scenario(string name) => KnownAnswers.All().Single(k => k.Scenario.Name == name).Scenario;
}
