using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs each failure case of the <see cref="ReferenceMatrix"/> (insert must come out red, upsert must not), plus two extra known answers, on the environment of each subclass.</summary>
/// <remarks>A case whose fault the environment cannot inject is skipped with the environment's reason, never passed.</remarks>
public abstract class KnownAnswerTests(ScenarioEnvironmentFixture fixture)
{
    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.Frozen.Should().BeTrue("the kill is placed on a frozen worker, so no commit can overtake it");
        result.CrashWindow.Drained.Should().BeTrue(result.CrashWindow.FreezeDetail);
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKeyDeclaringUpsertByKey_IsGreen()
    {
        var result = await fixture.RunAsync(ReferenceMatrix.Make("crash-upsert-by-key", ReferenceMatrix.UpsertByKey, DeclaredSemantics.UpsertByKey, new CrashAfterTargetWrite()));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        // The seconds the sink spent waiting on the withheld reply are the fault's: the evidence says when the sink gave up, so
        // the settle check does not take that wait for the sink's own rhythm.
        var actions = result.Evidence.OfType<FaultActionEvidence>().ToList();
        var released = actions.Should().ContainSingle(a => a.Action == "released").Subject;
        released.Detail.Should().StartWith("The sink closed withheld target connection(s) ");
        released.At.Should().BeAfter(actions.Single(a => a.Action == "withheld").At);
    }

    [Fact]
    public async Task OffsetCommitTimeout_PlainInsert_IsRedWithNoMoreDuplicatesThanTheBrokersWindow()
    {
        var result = await fixture.RunAsync(Scenario("offset-commit-timeout/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        var actions = result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().ToList();
        actions.Count(e => e.Action == "failed-commit").Should().BePositive();
        actions.Where(e => e.Action == "failed-commit").Should().OnlyContain(e => e.Detail.Contains("applied, answered RequestTimedOut"));

        // The restarted task resumes from the offsets the broker applied, not from the last commit the worker heard succeed.
        var duplicated = result.Report![AnomalyKind.Duplicated].Count;
        duplicated.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        duplicated.Should().BeLessThanOrEqualTo(result.CrashWindow.RowsAhead);
    }

    [Fact]
    public async Task OffsetCommitTimeout_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("offset-commit-timeout/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().Should().Contain(e => e.Action == "failed-commit");
    }

    [Fact]
    public async Task OffsetCommitRefused_PlainInsert_IsGreenAndTheWorkerCommitsAgainAfterTheRefusals()
    {
        var result = await fixture.RunAsync(Scenario("offset-commit-refused/postgres-insert"));

        // A worker that rewound to its last stored commit, or stopped committing, would show duplicates or offsets behind.
        result.Should().BeGreen().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        var actions = result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().ToList();
        actions.Where(e => e.Action == "refused-commit").Should().NotBeEmpty()
            .And.OnlyContain(e => e.Detail.Contains("refused CoordinatorLoadInProgress, not stored"));
        actions.Should().ContainSingle(e => e.Action == "stored-commit");
        actions.Should().ContainSingle(e => e.Action == "offsets-held", "a refused commit is not stored, so the group's offsets stand still");
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(0);
    }

    [Fact]
    public async Task OffsetCommitRefused_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("offset-commit-refused/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().Should().Contain(e => e.Action == "refused-commit");
    }

    [Fact]
    public async Task FetchStall_PlainInsert_IsGreenWithFetchesHeldForTheStall()
    {
        var result = await fixture.RunAsync(Scenario("fetch-stall/postgres-insert"));

        result.Should().BeGreen().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(0);
        var held = result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().Where(e => e.Action == "held-fetch").ToList();
        held.Should().NotBeEmpty().And.OnlyContain(e => e.Detail.Contains("connector-consumer-"));
        held.Max(e => HeldSeconds(e.Detail)).Should().BeGreaterThanOrEqualTo(new FetchStallOptions().Duration.TotalSeconds - 0.1, "the first fetch held waits out the whole stall, ten times the consumer's fetch wait");
    }

    [Fact]
    public async Task FetchStall_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("fetch-stall/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().Should().Contain(e => e.Action == "held-fetch");
    }

    [Fact]
    public async Task Rebalance_WorkerDiesInsideTheWindowWithPlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("rebalance/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.Frozen.Should().BeTrue();
    }

    [Fact]
    public async Task Rebalance_WorkerDiesInsideTheWindowWithUpsert_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("rebalance/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task Rebalance_WorkerJoinsWithUpsert_IsGreen()
    {
        var result = await fixture.RunAsync(ReferenceMatrix.Make("rebalance-joins-upsert", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new Rebalance()));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task SchemaBreak_ToleranceAllWithoutDeadLetterQueue_IsRedSilentlyDropped()
    {
        var result = await fixture.RunAsync(Scenario("schema-break/postgres-insert"));

        result.Should().BeRed();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
    }

    [Fact]
    public async Task SchemaBreak_WithDeadLetterQueue_IsNotRedAndEveryPoisonIsDeadLettered()
    {
        var result = await fixture.RunAsync(Scenario("schema-break/postgres-upsert"));

        result.Should().NotBeRed().And.HaveDeadLettered(1).And.HaveNoSilentlyDroppedRecords().And.HaveNoLostRecords();
    }

    [Fact]
    public async Task Replay_PlainInsert_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay/postgres-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);

        // The embedded worker reports Connect 3.9, so where Kafka serves the group administration the offsets are reset through the offsets API (KIP-875), not the group.
        result.Evidence.OfType<SinkIdempotency.Evidence.FaultActionEvidence>().Select(e => e.Action).Should().Contain("reset-offsets-api").And.NotContain("reset-consumer-group");
    }

    [Fact]
    public async Task Replay_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay/postgres-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static double HeldSeconds(string detail) =>
        double.Parse(System.Text.RegularExpressions.Regex.Match(detail, @" held (\d+\.\d) s").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static SinkIdempotency.Scenarios.Scenario Scenario(string name) => ReferenceMatrix.Scenarios.Single(k => k.Name == name).Scenario;
}
