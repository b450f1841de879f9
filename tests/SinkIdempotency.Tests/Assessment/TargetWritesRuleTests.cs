using SinkIdempotency.Assessment;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Assessment;

public sealed class TargetWritesRuleTests
{
    private static readonly Dictionary<string, string> Insert = new() { ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector", ["insert.mode"] = "insert" };

    [Fact]
    public void Evaluate_UpsertByKeyAndNoDuplicates_IsGreenNamingTheIdentity()
    {
        var row = TargetWritesRule.Evaluate("pg", AssessedRuns.Upsert, AssessedRuns.EveryCase("pg", _ => Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Summary.Should().Contain("upsert on pk.mode=record_key");
        row.Figure("reconciledRuns")!.Value.Should().Be(FaultCatalog.Names.Count, "one run per failure case");
    }

    [Fact]
    public void Evaluate_ARunDuplicated_IsRedEvenWithADeclaredIdentity()
    {
        List<AssessedRun> runs = [AssessedRuns.Run("pg", "target-timeout", Verdict.Red, duplicated: 4), AssessedRuns.Run("pg", "replay", Verdict.Green)];

        var row = TargetWritesRule.Evaluate("pg", AssessedRuns.Upsert, runs);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("pg-target-timeout [target-timeout]: 4").And.Contain("despite upsert on pk.mode=record_key");
        row.Figure("duplicatedRecords")!.Value.Should().Be(4);
    }

    [Fact]
    public void Evaluate_DuplicatesAllowedByAYellowVerdict_StillRed()
    {
        var row = TargetWritesRule.Evaluate("pg", Insert, [AssessedRuns.Run("pg", "crash-after-target-write", Verdict.Yellow, duplicated: 1)]);

        row.Status.Should().Be(AssessmentStatus.Red, "duplicates at the target mean correctness depends on cleanup, whatever the team declared");
    }

    [Fact]
    public void Evaluate_NoDuplicatesButNoRecognizedIdentity_IsYellow()
    {
        var row = TargetWritesRule.Evaluate("pg", Insert, AssessedRuns.EveryCase("pg", _ => Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("declares no stable identity");
    }

    [Fact]
    public void Evaluate_NothingReconciled_NotAssessed()
    {
        var row = TargetWritesRule.Evaluate("pg", AssessedRuns.Upsert, AssessedRuns.EveryCase("pg", _ => null));

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
    }

    [Theory]
    [InlineData("io.confluent.connect.jdbc.JdbcSinkConnector", "insert.mode=upsert,pk.mode=kafka", "upsert on pk.mode=kafka")]
    [InlineData("io.confluent.connect.jdbc.JdbcSinkConnector", "insert.mode=UPSERT,pk.mode=record_value", "upsert on pk.mode=record_value")]
    [InlineData("io.confluent.connect.jdbc.JdbcSinkConnector", "insert.mode=upsert,pk.mode=none", null)]
    [InlineData("io.confluent.connect.jdbc.JdbcSinkConnector", "insert.mode=insert,pk.mode=record_key", null)]
    [InlineData("com.example.HttpSink", "idempotency.key=event_id", "idempotency key event_id")]
    [InlineData("io.confluent.connect.s3.S3SinkConnector", "flush.size=100", "deterministic file names (topic, partition, start offset)")]
    [InlineData("io.confluent.connect.s3.S3SinkConnector", "rotate.schedule.interval.ms=60000", null)]
    public void Identity_Config_NamesTheStableIdentityOrNone(string connectorClass, string settings, string? expected)
    {
        var config = settings.Split(',').Select(s => s.Split('=')).ToDictionary(p => p[0], p => p[1]);
        config["connector.class"] = connectorClass;

        TargetWritesRule.Identity(config).Should().Be(expected);
    }
}
