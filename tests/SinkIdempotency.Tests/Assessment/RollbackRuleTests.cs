using SinkIdempotency.Assessment;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Assessment;

public sealed class RollbackRuleTests
{
    private const string Topic = "si-run1-rollback";

    [Fact]
    public void Evaluate_NoDualRun_IsNotAssessedWithTheReason()
    {
        var row = RollbackRule.Evaluate(null, "the assessment file declares no rollback.legacy and rollback.new connectors");

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Rollback not assessed: the assessment file declares no rollback.legacy and rollback.new connectors.");
        row.Offsets.Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_BothGreenAndAligned_IsGreenWithOffsetsPerGroupAndStage()
    {
        var row = RollbackRule.Evaluate(Run(), "unused");

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Summary.Should().Contain("both reconciled side by side at 200 records").And.Contain("committed the log end on all 2 partition(s)").And.Contain("100 more records reached the new target only");
        row.Figure("largestOffsetGap")!.Value.Should().Be(0);
        row.Figure("producedAfterStop")!.Value.Should().Be(100);
        row.Offsets.Should().HaveCount(8);
        row.Offsets.Should().ContainEquivalentOf(new AssessedOffsets("after-stop", "connect-legacy", 1, 100, 150));
        row.Offsets.Should().ContainEquivalentOf(new AssessedOffsets("after-stop", "connect-new", 1, 150, 150));
    }

    [Fact]
    public void Evaluate_NewPathLosesRecords_IsRedNamingTheLoss()
    {
        var run = Run(newAtEnd: Report(Verdict.Red, 300, lost: 7));

        var row = RollbackRule.Evaluate(run, "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the new path (new, exactly-once-effect) is red after the legacy path stopped: 7 lost of 300 records");
    }

    [Fact]
    public void Evaluate_LegacyPathDuplicates_IsRed()
    {
        var row = RollbackRule.Evaluate(Run(legacyAtAlignment: Report(Verdict.Red, 200, duplicated: 3)), "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the legacy path (legacy, exactly-once-effect) is red beside the new path: 3 duplicated of 200 records");
    }

    [Fact]
    public void Evaluate_OffsetsNeverAligned_IsRedStatingTheLagPerPartition()
    {
        var run = Run() is var r ? r with { Legacy = r.Legacy with { OffsetsAtAlignment = Offsets(100, 80), OffsetsAtEnd = Offsets(100, 80) } } : null;

        var row = RollbackRule.Evaluate(run, "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the offsets did not align within 90 s: connect-legacy is behind the log end (partition 1: committed 80, log end 100)");
        row.Figure("largestOffsetGap")!.Value.Should().Be(20);
    }

    [Fact]
    public void Evaluate_NewPathStallsAfterTheStop_IsRed()
    {
        var run = Run() is var r ? r with { New = r.New with { OffsetsAtEnd = Offsets(150, 100) } } : null;

        var row = RollbackRule.Evaluate(run, "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the new path did not keep going after the legacy path stopped: connect-new is behind the log end (partition 1: committed 100, log end 150)");
    }

    [Fact]
    public void Evaluate_LegacyGroupMovesAfterTheStop_IsRedBecauseARollbackCannotResume()
    {
        var run = Run() is var r ? r with { Legacy = r.Legacy with { OffsetsAtEnd = Offsets(150, 150) } } : null;

        var row = RollbackRule.Evaluate(run, "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the legacy group connect-legacy moved after it was stopped (partition 0: 100 → 150, partition 1: 100 → 150)");
    }

    [Fact]
    public void Evaluate_LegacyTargetGrowsAfterTheStop_IsRed()
    {
        var row = RollbackRule.Evaluate(Run(legacyAtEnd: Report(Verdict.Green, 200, rows: 260)), "unused");

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("the legacy target changed after the legacy path stopped (200 → 260 rows)");
    }

    [Fact]
    public void Evaluate_AYellowReconciliation_IsYellow()
    {
        var row = RollbackRule.Evaluate(Run(newAtAlignment: Report(Verdict.Yellow, 200)), "unused");

        row.Status.Should().Be(AssessmentStatus.Yellow);
    }

    [Fact]
    public void Evaluate_TheRunFailed_IsNotAssessedWithTheError()
    {
        var row = RollbackRule.Evaluate(Run() with { Error = "Kafka Connect answered 400 BadRequest." }, "unused");

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Be("Rollback not assessed: the dual run (legacy legacy and new new on si-run1-rollback) could not measure: Kafka Connect answered 400 BadRequest.");
    }

    [Fact]
    public void Grade_DualRunGiven_RollbackRowComesFromIt()
    {
        var definition = new AssessmentDefinition("poc", [], []);

        var scorecard = AssessmentRunner.Grade(definition, "embedded", DateTimeOffset.UnixEpoch, [], new KafkaLayerFacts(SinkIdempotency.Environments.EnvironmentCapabilities.None), Run());

        scorecard.Rows.Single(r => r.Area == AssessmentArea.Rollback).Status.Should().Be(AssessmentStatus.Green);
    }

    private static DualRunResult Run(ReconciliationReport? legacyAtAlignment = null, ReconciliationReport? legacyAtEnd = null, ReconciliationReport? newAtAlignment = null, ReconciliationReport? newAtEnd = null) =>
        new(
            Topic,
            new DualRunPath("legacy", "legacy", "t_legacy", DeclaredSemantics.ExactlyOnceEffect)
            {
                AtAlignment = legacyAtAlignment ?? Report(Verdict.Green, 200),
                OffsetsAtAlignment = Offsets(100, 100),
                AtEnd = legacyAtEnd ?? Report(Verdict.Green, 200),
                OffsetsAtEnd = Offsets(100, 100),
            },
            new DualRunPath("new", "new", "t_new", DeclaredSemantics.ExactlyOnceEffect)
            {
                AtAlignment = newAtAlignment ?? Report(Verdict.Green, 200),
                OffsetsAtAlignment = Offsets(100, 100),
                AtEnd = newAtEnd ?? Report(Verdict.Green, 300),
                OffsetsAtEnd = Offsets(150, 150),
            })
        {
            ProducedBeforeStop = 200,
            ProducedAfterStop = 100,
            EndAtAlignment = Offsets(100, 100),
            EndAtEnd = Offsets(150, 150),
            Timeout = TimeSpan.FromSeconds(90),
            StoppedWith = "stop",
        };

    private static Dictionary<SourcePartition, long> Offsets(long first, long second) => new()
    {
        [new SourcePartition(Topic, 0)] = first,
        [new SourcePartition(Topic, 1)] = second,
    };

    private static ReconciliationReport Report(Verdict verdict, long produced, long lost = 0, long duplicated = 0, long? rows = null) => new()
    {
        Semantics = DeclaredSemantics.ExactlyOnceEffect,
        Verdict = verdict,
        GeneratedAt = DateTimeOffset.UnixEpoch,
        Target = "test",
        Produced = produced,
        TargetRows = rows ?? produced - lost + duplicated,
        TargetChecksum = 0,
        InTarget = produced - lost,
        Superseded = 0,
        DeadLetterRecords = 0,
        UnmatchedDeadLetters = 0,
        Anomalies = [.. Enum.GetValues<AnomalyKind>().Select(kind => new AnomalySummary(kind, kind switch { AnomalyKind.Lost => lost, AnomalyKind.Duplicated => duplicated, _ => 0 }, 0, false, []))],
        Partitions = [],
    };
}
