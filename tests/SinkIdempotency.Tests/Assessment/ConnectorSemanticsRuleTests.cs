using SinkIdempotency.Assessment;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Tests.Assessment;

public sealed class ConnectorSemanticsRuleTests
{
    [Fact]
    public void Evaluate_EveryCaseGreen_IsGreenAndCountsThem()
    {
        var row = ConnectorSemanticsRule.Evaluate("pg", AssessedRuns.EveryCase("pg", _ => Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Green);
        row.Title.Should().Be("Connector semantics: pg");
        row.Figure("green")!.Value.Should().Be(FaultCatalog.Names.Count);
        row.Figure("missingCases")!.Value.Should().Be(0);
        row.Summary.Should().Contain($"All {FaultCatalog.Names.Count} failure cases");
    }

    [Fact]
    public void Evaluate_OneCaseRed_IsRedNamingTheCase()
    {
        var row = ConnectorSemanticsRule.Evaluate("pg", AssessedRuns.EveryCase("pg", f => f == "target-timeout" ? Verdict.Red : Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("red: pg-target-timeout [target-timeout]");
        row.Figure("red")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_ACaseMissing_IsRedNamingTheMissingCase()
    {
        var runs = AssessedRuns.EveryCase("pg", _ => Verdict.Green).Where(r => r.Scenario.Fault!.Name != "replay").ToList();

        var row = ConnectorSemanticsRule.Evaluate("pg", runs);

        row.Status.Should().Be(AssessmentStatus.Red, "a case without evidence is not evidence of safety");
        row.Summary.Should().Contain("no evidence for replay");
        row.Figure("missingCases")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_EnvironmentFailedACase_IsRedWithTheError()
    {
        var runs = AssessedRuns.EveryCase("pg", _ => Verdict.Green);
        runs[0] = AssessedRuns.Failed("pg", runs[0].Scenario.Fault!.Name, "worker build missing");

        var row = ConnectorSemanticsRule.Evaluate("pg", runs);

        row.Status.Should().Be(AssessmentStatus.Red);
        row.Summary.Should().Contain("worker build missing");
        row.Figure("environmentFailures")!.Value.Should().Be(1);
    }

    [Fact]
    public void Evaluate_ACaseSkipped_IsYellowNotGreen()
    {
        var row = ConnectorSemanticsRule.Evaluate("pg", AssessedRuns.EveryCase("pg", f => f == "rebalance" ? null : Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("skipped, so not tested here: pg-rebalance [rebalance] (the environment cannot kill workers)");
    }

    [Fact]
    public void Evaluate_ACaseYellow_IsYellowNamingIt()
    {
        var row = ConnectorSemanticsRule.Evaluate("pg", AssessedRuns.EveryCase("pg", f => f == "crash-after-target-write" ? Verdict.Yellow : Verdict.Green));

        row.Status.Should().Be(AssessmentStatus.Yellow);
        row.Summary.Should().Contain("yellow (allowed anomalies): pg-crash-after-target-write");
    }

    [Fact]
    public void Evaluate_RedAndSkipped_RedWins()
    {
        var row = ConnectorSemanticsRule.Evaluate("pg", AssessedRuns.EveryCase("pg", f => f switch { "replay" => Verdict.Red, "rebalance" => null, _ => Verdict.Green }));

        row.Status.Should().Be(AssessmentStatus.Red);
    }
}
