using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>Runs known answers against a MySQL/MariaDB target on the embedded environment: the reference sink writes through the MySQL dialect, the reader reads MariaDB, target timeouts go through the MySQL-protocol gate.</summary>
/// <remarks>The environment starts its local MariaDB the first time one of these runs; without <c>mariadbd</c> they fail with the reason, never skip.</remarks>
public sealed class MySqlKnownAnswerTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task Replay_PlainInsert_IsRedWithEveryRecordDuplicated()
    {
        var result = await fixture.RunAsync(Scenario("replay", ReferenceMatrix.PlainInsert));

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
        await ShouldHaveWrittenToMariaDbAsync(result);
    }

    [Fact]
    public async Task Replay_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("replay", ReferenceMatrix.UpsertByCoordinates));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.InTarget.Should().Be(1000);
        await ShouldHaveWrittenToMariaDbAsync(result);
    }

    [Fact]
    public async Task CrashAfterTargetWrite_PlainInsert_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", ReferenceMatrix.PlainInsert));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.Frozen.Should().BeTrue("the kill is placed on a frozen worker, so no commit can overtake it");
        result.CrashWindow.Drained.Should().BeTrue(result.CrashWindow.FreezeDetail);
        result.CrashWindow.FreezeDetail.Should().Contain("connection(s) to the target (", "MariaDB was asked for writes in progress").And.Contain("MariaDB");
    }

    [Fact]
    public async Task CrashAfterTargetWrite_UpsertByKafkaCoordinates_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("crash-after-target-write", ReferenceMatrix.UpsertByCoordinates));

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.CrashWindow!.RowsAhead.Should().BePositive();
    }

    [Fact]
    public async Task TargetTimeout_PlainInsertThroughTheMySqlGate_IsRedWithDuplicates()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout", ReferenceMatrix.PlainInsert));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Evidence.OfType<FaultActionEvidence>().Should().Contain(e => e.Action == "withhold-durable-write-reply")
            .Which.Detail.Should().Contain("the OK packet").And.NotContain("CommandComplete");
        await ShouldHaveWrittenToMariaDbAsync(result);
    }

    [Fact]
    public async Task TargetTimeout_UpsertByKafkaCoordinatesThroughTheMySqlGate_IsGreen()
    {
        var result = await fixture.RunAsync(Scenario("target-timeout", ReferenceMatrix.UpsertByCoordinates));

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrashAfterOffsetCommit_ReferenceSink_IsGreenWithTheFinding(bool upsert)
    {
        // The reference sink commits its MariaDB transaction inside put, before Connect commits the offsets: the loss window never opens.
        var result = await fixture.RunAsync(Scenario("crash-after-offset-commit", upsert ? ReferenceMatrix.UpsertByCoordinates : ReferenceMatrix.PlainInsert));

        result.Should().BeGreen();
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 1000 records");
        result.CrashWindow.Should().BeNull();
        await ShouldHaveWrittenToMariaDbAsync(result);
    }

    private static Scenario Scenario(string fault, IReadOnlyDictionary<string, string> connector) =>
        ReferenceMatrix.Make($"{fault}/mysql", connector, DeclaredSemantics.ExactlyOnceEffect, FaultCatalog.Find(fault)!.Reference())
            .WithTarget(ScenarioTarget.MySql(ReferenceMatrix.Mapping));

    // The rows were read from MariaDB: the run's target evidence names the MySQL table, and the server runs.
    private async Task ShouldHaveWrittenToMariaDbAsync(ScenarioResult result)
    {
        result.Evidence.OfType<TargetEvidence>().Should().Contain(e => e.Target.StartsWith("MySQL table", StringComparison.Ordinal));
        var driver = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        ((EmbeddedEnvironment)driver.Environment!).MySql.Should().NotBeNull();
    }
}
