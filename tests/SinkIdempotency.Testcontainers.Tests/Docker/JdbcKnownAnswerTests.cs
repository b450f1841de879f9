using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Testcontainers;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.Testcontainers.Tests.Docker;

/// <summary>Runs each failure case of the <see cref="JdbcSinkMatrix"/> on real Kafka, Kafka Connect and the Confluent JDBC sink (insert must come out red, upsert must not), mirroring the embedded known-answer suite.</summary>
[Collection<DockerCollection>]
[Trait("Category", "Docker")]
public sealed class JdbcKnownAnswerTests(DockerEnvironmentFixture fixture)
{
    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write/jdbc-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write/jdbc-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Theory]
    [InlineData("crash-after-offset-commit/jdbc-insert")]
    [InlineData("crash-after-offset-commit/jdbc-upsert")]
    public async Task CrashAfterOffsetCommit_EitherColumn_IsGreenWithTheFindingThatTheWindowNeverOpened(string name)
    {
        // The JDBC sink writes every batch in put, before the worker can commit its offsets: the loss window never opens.
        var result = await fixture.RunAsync(Scenario(name));

        result.Should().BeGreen();
        result.Outcome.Should().Be(Scenarios.ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKeyDeclaringUpsertByKey_IsGreen()
    {
        var result = await fixture.RunAsync(Scenarios.ReferenceMatrix.Make("jdbc-crash-upsert-by-key", JdbcSinkMatrix.UpsertByKey, DeclaredSemantics.UpsertByKey, new CrashAfterTargetWrite(), JdbcSinkMatrix.Mapping));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout/jdbc-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout/jdbc-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task Rebalance_WorkerDiesInsideTheWindowWithPlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("rebalance/jdbc-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
    }

    [Fact]
    public async Task Rebalance_WorkerDiesInsideTheWindowWithUpsert_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("rebalance/jdbc-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task Rebalance_WorkerJoinsWithUpsert_IsGreen()
    {
        var result = await fixture.RunAsync(Scenarios.ReferenceMatrix.Make("jdbc-rebalance-joins-upsert", JdbcSinkMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new Rebalance(), JdbcSinkMatrix.Mapping));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Fact]
    public async Task SchemaBreak_ToleranceAllWithoutDeadLetterQueue_IsRedSilentlyDropped()
    {
        var result = await fixture.RunAsync(Scenario("schema-break/jdbc-insert"));

        result.Should().BeRed();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
    }

    [Fact]
    public async Task SchemaBreak_WithDeadLetterQueue_IsNotRedAndEveryPoisonIsDeadLettered()
    {
        var result = await fixture.RunAsync(Scenario("schema-break/jdbc-upsert"));

        result.Should().NotBeRed().And.HaveDeadLettered(1).And.HaveNoSilentlyDroppedRecords().And.HaveNoLostRecords();
    }

    [Fact]
    public async Task Replay_PlainInsert_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay/jdbc-insert"));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
    }

    [Fact]
    public async Task Replay_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay/jdbc-upsert"));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static SinkIdempotency.Scenarios.Scenario Scenario(string name) => JdbcSinkMatrix.Scenarios.Single(k => k.Name == name).Scenario;
}
