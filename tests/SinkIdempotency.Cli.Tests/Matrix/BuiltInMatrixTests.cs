using SinkIdempotency.Cli.Matrix;
using SinkIdempotency.Cli.Run;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Cli.Tests.Matrix;

public sealed class BuiltInMatrixTests
{
    [Fact]
    public void Entries_AreTheNineFailureCasesTimesBadAndGood()
    {
        BuiltInMatrix.Entries.Should().HaveCount(18);
        BuiltInMatrix.Entries.Select(e => e.Scenario.Fault!.Name).Distinct().Should().Equal("crash-after-target-write", "crash-after-offset-commit", "target-timeout", "offset-commit-timeout", "offset-commit-refused", "fetch-stall", "rebalance", "schema-break", "replay");
        BuiltInMatrix.Entries.Select(e => e.Connector).Should().Equal(Enumerable.Repeat(new[] { "postgres-insert", "postgres-upsert" }, 9).SelectMany(c => c));
        BuiltInMatrix.Entries.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        BuiltInMatrix.Entries.Should().OnlyContain(e => e.Scenario.Semantics == DeclaredSemantics.ExactlyOnceEffect);
    }

    [Fact]
    public void Entries_EachScenarioIsValid()
    {
        foreach (var entry in BuiltInMatrix.Entries)
        {
            entry.Scenario.Invoking(s => s.Validate()).Should().NotThrow(entry.Name);
        }
    }

    [Fact]
    public void Entries_AreTheReferenceMatrixWithItsWorkload()
    {
        BuiltInMatrix.Entries.Select(e => e.Scenario).Should().Equal(ReferenceMatrix.Scenarios.Select(s => s.Scenario));
        BuiltInMatrix.Entries.Should().OnlyContain(e => e.Scenario.Workload.RecordsPerSecond == 500 && e.Scenario.Workload.Records == 1000);
        BuiltInMatrix.Entries.Select(e => e.Name).Should().StartWith("crash-after-target-write/postgres-insert");
    }

    [Fact]
    public void Entries_BadAndGoodDifferWhereItMatters()
    {
        var bad = BuiltInMatrix.Entries[0].Scenario;
        var good = BuiltInMatrix.Entries[1].Scenario;
        var poisonBad = BuiltInMatrix.Entries.Single(e => e.Name == "schema-break/postgres-insert").Scenario;
        var poisonGood = BuiltInMatrix.Entries.Single(e => e.Name == "schema-break/postgres-upsert").Scenario;

        bad.ConnectorConfig["insert.mode"].Should().Be("insert");
        bad.ConnectorConfig.Should().NotContainKey("errors.tolerance");
        good.ConnectorConfig["insert.mode"].Should().Be("upsert");
        good.ConnectorConfig["pk.mode"].Should().Be("kafka");
        good.DeadLetterQueue.Should().BeFalse();
        poisonBad.ConnectorConfig["errors.tolerance"].Should().Be("all");
        poisonBad.DeadLetterQueue.Should().BeFalse("tolerance all without a dead-letter topic drops poison records silently");
        poisonGood.DeadLetterQueue.Should().BeTrue();
    }

    [Fact]
    public void For_Embedded_IsTheNineFailureCasesTimesEightColumnsEachOnItsTarget()
    {
        var entries = BuiltInMatrix.For(EnvironmentKind.Embedded);

        entries.Should().HaveCount(72);
        entries.Select(e => e.Connector).Distinct().Should().Equal("postgres-insert", "postgres-upsert", "files-append", "files-deterministic", "http-plain", "http-idempotency-key", "mysql-insert", "mysql-upsert");
        entries.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        entries.Select(e => (e.Connector, e.Scenario.Target.Kind)).Distinct().Should().Equal(
            ("postgres-insert", "postgres"), ("postgres-upsert", "postgres"), ("files-append", "files-append"), ("files-deterministic", "files-deterministic"),
            ("http-plain", "http-plain"), ("http-idempotency-key", "http-idempotency-key"), ("mysql-insert", "mysql"), ("mysql-upsert", "mysql"));
        entries.Should().OnlyContain(e => e.Scenario.Semantics == DeclaredSemantics.ExactlyOnceEffect && e.Source == BuiltInMatrix.Source);
        foreach (var entry in entries)
        {
            entry.Scenario.Invoking(s => s.Validate()).Should().NotThrow(entry.Name);
        }
    }

    [Fact]
    public void For_External_KeepsTheTwoPostgreSqlColumns()
    {
        BuiltInMatrix.For(EnvironmentKind.External).Should().BeSameAs(BuiltInMatrix.Entries);
    }
}
