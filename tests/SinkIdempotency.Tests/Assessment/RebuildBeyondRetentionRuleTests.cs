using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Assessment;

public sealed class RebuildBeyondRetentionRuleTests
{
    [Fact]
    public void Evaluate_NoMeasurementDeclared_GivesNoRow()
    {
        RebuildBeyondRetentionRule.Evaluate(AssessedRuns.EveryCase("c", _ => Verdict.Green)).Should().BeNull();
    }

    [Fact]
    public void Evaluate_EachPartitionLostExactlyItsCut_IsGreenNamingTheCut()
    {
        var row = RebuildBeyondRetentionRule.Evaluate([Rebuild(DeclaredSemantics.ExactlyOnceEffect, (468, 234), (532, 266))])!;

        row.Status.Should().Be(AssessmentStatus.Green, row.Summary);
        row.Figure("recordsDeleted")!.Value.Should().Be(500);
        row.Figure("recordsLost")!.Value.Should().Be(500);
        row.Summary.Should().Contain("retention.ms=604800000");
    }

    [Fact]
    public void Evaluate_LostMoreThanTheCut_IsRed()
    {
        var row = RebuildBeyondRetentionRule.Evaluate([Rebuild(DeclaredSemantics.ExactlyOnceEffect, (468, 234), (532, 300))])!;

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("partition 1 lost 300 record(s) where the cut deleted 266");
    }

    [Fact]
    public void Evaluate_LostFewerThanTheCutUnderEventSemantics_IsRedBecauseTheLossIsUnproven()
    {
        var row = RebuildBeyondRetentionRule.Evaluate([Rebuild(DeclaredSemantics.ExactlyOnceEffect, (468, 0), (532, 266))])!;

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("partition 0 lost 0 record(s) where the cut deleted 234");
    }

    [Fact]
    public void Evaluate_UpsertByKeyLostFewerThanTheCut_IsGreen()
    {
        var row = RebuildBeyondRetentionRule.Evaluate([Rebuild(DeclaredSemantics.UpsertByKey, (468, 40), (532, 12))])!;

        row.Status.Should().Be(AssessmentStatus.Green, row.Summary);
        row.Figure("recordsLost")!.Value.Should().Be(52);
    }

    [Fact]
    public void Evaluate_DuplicatesBesideTheLoss_IsRed()
    {
        var row = RebuildBeyondRetentionRule.Evaluate([Rebuild(DeclaredSemantics.ExactlyOnceEffect, (468, 234)), Rebuild(DeclaredSemantics.ExactlyOnceEffect, [(10, 5)], duplicated: 3)])!;

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("3 duplicated");
    }

    [Fact]
    public void Evaluate_OnlySkippedRuns_IsNotAssessedWithTheReason()
    {
        var scenario = Scenario.Named("c-rebuild").WithConnector(AssessedRuns.Upsert).WithFault(new ReplayBeyondRetention());
        var row = RebuildBeyondRetentionRule.Evaluate([new AssessedRun("c", scenario, AssessedRuns.Result(scenario, null))])!;

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Contain("was skipped (the environment cannot kill workers)");
    }

    [Fact]
    public void Grade_MeasurementRun_StaysOutOfTheConnectorSemanticsRow()
    {
        var runs = AssessedRuns.EveryCase("c", _ => Verdict.Green);
        runs.Add(Rebuild(DeclaredSemantics.ExactlyOnceEffect, (468, 234)));
        var definition = new AssessmentDefinition("t", [.. runs.Select(r => r.Scenario)], []);

        var card = AssessmentRunner.Grade(definition, "test", DateTimeOffset.UnixEpoch, runs, new KafkaLayerFacts(SinkIdempotency.Environments.EnvironmentCapabilities.OffsetsApi));

        card.Rows.Single(r => r.Area == AssessmentArea.ConnectorSemantics).Status.Should().Be(AssessmentStatus.Green);
        card.Rows.Single(r => r.Title == "Kafka layer: rebuild beyond retention").Status.Should().Be(AssessmentStatus.Green);
    }

    private static AssessedRun Rebuild(DeclaredSemantics semantics, params (long Produced, long Lost)[] partitions) => Rebuild(semantics, partitions, 0);

    private static AssessedRun Rebuild(DeclaredSemantics semantics, (long Produced, long Lost)[] partitions, long duplicated)
    {
        var scenario = Scenario.Named("c-rebuild").WithConnector(AssessedRuns.Upsert).Declaring(semantics).WithFault(new ReplayBeyondRetention());
        var evidence = new EvidenceTimeline();
        evidence.Add(new FaultActionEvidence { At = DateTimeOffset.UnixEpoch, Step = "fault", Fault = "replay-beyond-retention", Action = "delete-records", Detail = "Deleted 500 record(s) standing in for retention (topic retention.ms=604800000, retention.bytes=-1)." });
        var result = AssessedRuns.Result(scenario, Verdict.Red, duplicated, evidence);
        var lost = partitions.Sum(p => p.Lost);
        var anomalies = result.Report!.Anomalies
            .Select(a => a.Kind == AnomalyKind.Lost ? a with { Count = lost } : a)
            .ToList();
        var figures = partitions.Select((p, i) => new PartitionFigures("t", i, p.Produced, p.Produced, p.Produced, p.Produced - p.Lost, 0, 0, 0, new Dictionary<AnomalyKind, long> { [AnomalyKind.Lost] = p.Lost })).ToList();
        return new AssessedRun("c", scenario, result with { Report = result.Report with { Anomalies = anomalies, Partitions = figures } });
    }
}
