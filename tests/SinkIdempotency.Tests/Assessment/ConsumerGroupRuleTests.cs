using SinkIdempotency.Assessment;
using SinkIdempotency.Evidence;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Assessment;

public sealed class ConsumerGroupRuleTests
{
    [Fact]
    public void Evaluate_RebalanceMovedTasksAndReconciledGreen_IsGreen()
    {
        var row = ConsumerGroupRule.Evaluate([Rebalance(Verdict.Green, Moved()), AssessedRuns.Run("pg", "replay", Verdict.Green)]);

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Title.Should().Be("Kafka layer: consumer groups");
        row.Figure("runsWithTasksMoved")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_RebalanceRunRed_IsRedNamingTheRun()
    {
        var row = ConsumerGroupRule.Evaluate([Rebalance(Verdict.Red, Moved(), duplicated: 5)]);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("pg/pg-rebalance");
    }

    [Fact]
    public void Evaluate_NoTaskMoved_IsRedNotGreen()
    {
        var row = ConsumerGroupRule.Evaluate([Rebalance(Verdict.Green, Assignment("w1", "w1"))]);

        row.Status.Should().Be(AssessmentStatus.Red, "a rebalance run that moved nothing proves nothing about the group");
        row.Summary.Should().Contain("did not move the tasks");
    }

    [Fact]
    public void Evaluate_UnplannedRebalanceInAnotherRun_IsYellow()
    {
        var timeline = new EvidenceTimeline();
        timeline.Add(new RebalanceEvidence { At = DateTimeOffset.UnixEpoch, Step = "produce", Group = "connect-pg", Before = new Dictionary<string, string> { ["m1"] = "a" }, After = new Dictionary<string, string>(), Planned = false });

        var row = ConsumerGroupRule.Evaluate([Rebalance(Verdict.Green, Moved()), AssessedRuns.Run("pg", "replay", Verdict.Green, evidence: timeline)]);

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("1 rebalance(s) nobody asked for (pg/pg-replay)");
    }

    [Fact]
    public void Evaluate_RebalanceSkipped_NotAssessedWithTheSkipReason()
    {
        var row = ConsumerGroupRule.Evaluate([AssessedRuns.Run("pg", "rebalance", null), AssessedRuns.Run("pg", "replay", Verdict.Green)]);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Contain("pg/pg-rebalance was skipped (the environment cannot kill workers)");
    }

    [Fact]
    public void Evaluate_NoRebalanceDeclared_NotAssessed()
    {
        var row = ConsumerGroupRule.Evaluate([AssessedRuns.Run("pg", "replay", Verdict.Green)]);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Contain("no rebalance scenario was declared");
    }

    [Fact]
    public void Evaluate_RebalanceFailedByTheEnvironment_NotAssessedWithTheError()
    {
        var row = ConsumerGroupRule.Evaluate([AssessedRuns.Failed("pg", "rebalance", "broker went away")]);

        row.Status.Should().Be(AssessmentStatus.NotAssessed);
        row.Summary.Should().Contain("broker went away");
    }

    private static AssessedRun Rebalance(Verdict verdict, EvidenceTimeline evidence, long duplicated = 0) =>
        AssessedRuns.Run("pg", "rebalance", verdict, duplicated, evidence: evidence);

    private static EvidenceTimeline Moved() => Assignment("w1", "w2");

    private static EvidenceTimeline Assignment(string before, string after)
    {
        var timeline = new EvidenceTimeline();
        timeline.Add(new AssignmentEvidence { At = DateTimeOffset.UnixEpoch, Step = "fault", Before = new Dictionary<string, string?> { ["0"] = before }, After = new Dictionary<string, string?> { ["0"] = after } });
        return timeline;
    }
}
