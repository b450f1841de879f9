using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using Xunit.Sdk;

namespace SinkIdempotency.Xunit.Tests;

public sealed class ScenarioResultAssertionsTests
{
    [Fact]
    public void BeGreen_CleanResult_Passes()
    {
        Results.Clean().Should().BeGreen().And.HaveNoDuplicates().And.HaveNoLostRecords().And.NotBeRed();
    }

    [Fact]
    public void BeGreen_RedResult_NamesEveryAnomalyWithExamplesAndTheEvidence()
    {
        var act = () => Results.DuplicatedAndLost().Should().BeGreen("the sink is idempotent");

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to be green because the sink is idempotent, but it was red:\n"
            + "  outcome: Settled; declared exactly-once-effect\n"
            + "  lost: 1 (forbidden)\n"
            + "    event e3 at t-0@3: absent; committed offset 5\n"
            + "  duplicated: 1 (2 extra rows) (forbidden)\n"
            + "    event e1 at t-0@1: 3 rows\n"
            + "  evidence: /tmp/evidence.json");
    }

    [Fact]
    public void BeGreen_NoConvergence_ShowsTheReason()
    {
        var result = Results.Make([], outcome: ScenarioOutcome.NoConvergence, reasons: ["No convergence within 2 s: t-0 committed nothing of 5."], evidencePath: null,
            ledger: [Results.Entry(0)]);

        var act = () => result.Should().BeGreen();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to be green, but it was red:\n"
            + "  outcome: NoConvergence; declared exactly-once-effect\n"
            + "  lost: 1 (forbidden)\n"
            + "    event e0 at t-0@0: absent; committed offset 1\n"
            + "  reason: No convergence within 2 s: t-0 committed nothing of 5.");
    }

    [Fact]
    public void NotBeRed_TaskFailedForNoReasonOfTheScenario_ShowsTheTraceHeadlines()
    {
        var failure = new TaskFailure
        {
            Task = 0,
            At = DateTimeOffset.UnixEpoch,
            Trace = "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n\tat Frame.One()\nCaused by: System.Text.Json.JsonReaderException: 'k' is an invalid start of a value.\n\tat Frame.Two()",
            Attribution = "the scenario produced no poison record, so none explains it",
        };
        var result = Results.Make([], outcome: ScenarioOutcome.StoppedByFailedTask, ledger: [], evidencePath: null) with { Verdict = Verdict.Red, TaskFailures = [failure] };

        var act = () => result.Should().NotBeRed();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] not to be red, but it was red:\n"
            + "  outcome: StoppedByFailedTask; declared exactly-once-effect\n"
            + "  task 0 failed (not explained by the scenario: the scenario produced no poison record, so none explains it):\n"
            + "    org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n"
            + "    Caused by: System.Text.Json.JsonReaderException: 'k' is an invalid start of a value.");
    }

    [Fact]
    public void BeGreen_SkippedResult_SaysItWasSkippedAndWhy()
    {
        var act = () => Results.Skipped().Should().BeGreen();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to be green, but it was skipped:\n"
            + "  outcome: Skipped; declared exactly-once-effect\n"
            + "  skipped: CrashAfterTargetWrite needs KillWorker.");
    }

    [Fact]
    public void BeRed_GreenResult_Fails()
    {
        var act = () => Results.Clean().Should().BeRed();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to be red, but it was green:\n"
            + "  outcome: Settled; declared exactly-once-effect\n"
            + "  evidence: /tmp/evidence.json");
    }

    [Fact]
    public void BeYellow_DuplicatesUnderAtLeastOnce_Passes()
    {
        var rows = new[] { 0, 1, 1, 2, 3, 4 }.Select(i => Results.Row(Results.Entry(i)));

        Results.Make(rows, DeclaredSemantics.AtLeastOnce).Should().BeYellow().And.NotBeRed().And.HaveAtMostDuplicates(1);
    }

    [Fact]
    public void NotBeRed_RedResult_Fails()
    {
        var act = () => Results.DuplicatedAndLost().Should().NotBeRed();

        act.Should().Throw<XunitException>().Which.Message.Should().StartWith(
            "Expected scenario \"orders\" [crash-after-target-write] not to be red, but it was red:\n  outcome: Settled");
    }

    [Fact]
    public void HaveNoDuplicates_Duplicates_NamesCountExtraRowsAndExamples()
    {
        var act = () => Results.DuplicatedAndLost().Should().HaveNoDuplicates();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have no duplicates, but 1 (2 extra rows) were duplicated, e.g.:\n"
            + "    event e1 at t-0@1: 3 rows\n"
            + "  evidence: /tmp/evidence.json");
    }

    [Fact]
    public void HaveNoLostRecords_Lost_NamesTheRecord()
    {
        var act = () => Results.DuplicatedAndLost().Should().HaveNoLostRecords("offsets {0} were committed", 5);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have no lost records because offsets 5 were committed, but 1 were lost, e.g.:\n"
            + "    event e3 at t-0@3: absent; committed offset 5\n"
            + "  evidence: /tmp/evidence.json");
    }

    [Fact]
    public void HaveAtMostDuplicates_TooMany_NamesTheLimitAndTheCount()
    {
        var rows = new[] { 0, 0, 1, 1, 2, 2, 3, 4 }.Select(i => Results.Row(Results.Entry(i)));

        var act = () => Results.Make(rows, DeclaredSemantics.AtLeastOnce, evidencePath: null).Should().HaveAtMostDuplicates(2);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have at most 2 duplicated records, but 3 (3 extra rows) were duplicated, e.g.:\n"
            + "    event e0 at t-0@0: 2 rows\n"
            + "    event e1 at t-0@1: 2 rows\n"
            + "    event e2 at t-0@2: 2 rows");
    }

    [Fact]
    public void HaveAtMostDuplicates_WithinTheLimit_Passes()
    {
        var rows = new[] { 0, 0, 1, 2, 3, 4 }.Select(i => Results.Row(Results.Entry(i)));

        Results.Make(rows, DeclaredSemantics.AtLeastOnce).Should().HaveAtMostDuplicates(1);
    }

    [Fact]
    public void HaveNoUnexpectedRows_PhantomRow_ShowsTheRowWithoutSourceAndEscapesBraces()
    {
        var rows = Enumerable.Range(0, 5).Select(i => Results.Row(Results.Entry(i))).Append(new("{weird}"));

        var act = () => Results.Make(rows, evidencePath: null).Should().HaveNoUnexpectedRows();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have no unexpected rows, but 1 were unexpected, e.g.:\n"
            + "    event {weird}: event id was never produced");
    }

    [Fact]
    public void HaveNoSilentlyDroppedRecords_PoisonSkippedWithoutDeadLetter_NamesIt()
    {
        var ledger = new[] { Results.Entry(0), Results.Entry(1, poison: true), Results.Entry(2) };

        var act = () => Results.Make([Results.Row(ledger[0]), Results.Row(ledger[2])], ledger: ledger, evidencePath: null).Should().HaveNoSilentlyDroppedRecords();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have no silently dropped records, but 1 were silently dropped, e.g.:\n"
            + "    event e1 at t-0@1: absent; committed offset 3");
    }

    [Fact]
    public void HaveDeadLettered_CountDiffers_ShowsBoth()
    {
        var ledger = new[] { Results.Entry(0), Results.Entry(1, poison: true), Results.Entry(2) };
        var result = Results.Make([Results.Row(ledger[0]), Results.Row(ledger[2])], ledger: ledger, deadLetters: [new DeadLetterRecord(ledger[1].Position)]);

        result.Should().HaveDeadLettered(1).And.BeYellow().And.HaveNoSilentlyDroppedRecords();
        var act = () => result.Should().HaveDeadLettered(2);

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have 2 dead-lettered records, but 1 were dead-lettered (1 dead-letter records read).");
    }

    [Fact]
    public void HaveNoLostRecords_SkippedResult_SaysThereIsNoReconciliation()
    {
        var act = () => Results.Skipped().Should().HaveNoLostRecords();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have no lost records, but it has no reconciliation: Skipped: CrashAfterTargetWrite needs KillWorker.");
    }

    [Fact]
    public void HaveInjectedTheFault_NotInjected_GivesTheFaultsAccount()
    {
        var result = Results.Clean() with { Outcome = ScenarioOutcome.FaultNotInjected, FaultDetail = "The target was never seen ahead of the committed offsets within 30 s, so no worker was killed." };

        var act = () => result.Should().HaveInjectedTheFault();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have injected its fault, but it was not: The target was never seen ahead of the committed offsets within 30 s, so no worker was killed.");
    }

    [Fact]
    public void HaveInjectedTheFault_WindowNeverOpened_FailsWithTheFinding()
    {
        var result = Results.Clean() with
        {
            Outcome = ScenarioOutcome.WindowNeverOpened,
            Finding = "the target never ran ahead of the commits in 1000 records",
            FaultDetail = "The window never opened: the target never ran ahead of the commits in 1000 records (412 observations while every record was produced and committed), so no worker was killed. That is a finding about the sink, not a failed injection.",
        };

        var act = () => result.Should().HaveInjectedTheFault();

        act.Should().Throw<XunitException>().Which.Message.Should().Be(
            "Expected scenario \"orders\" [crash-after-target-write] to have injected its fault, but it was not: The window never opened: the target never ran ahead of the commits in 1000 records (412 observations while every record was produced and committed), so no worker was killed. That is a finding about the sink, not a failed injection.");
    }

    [Fact]
    public void Should_NullResult_Fails()
    {
        ScenarioResult? result = null;

        var act = () => result!.Should().BeGreen();

        act.Should().Throw<XunitException>().Which.Message.Should().Be("Expected scenario to be green, but found <null>.");
    }

    [Fact]
    public void HaveVerdict_InsideAssertionScope_CollectsFailures()
    {
        var act = () =>
        {
            using var scope = new FluentAssertions.Execution.AssertionScope();
            Results.DuplicatedAndLost().Should().HaveNoDuplicates();
            Results.DuplicatedAndLost().Should().HaveNoLostRecords();
        };

        act.Should().Throw<XunitException>().Which.Message.Should().Contain("to have no duplicates").And.Contain("to have no lost records");
    }

    [Fact]
    public void HaveVerdict_Yellow_OnRedResult_Fails()
    {
        var act = () => Results.DuplicatedAndLost().Should().HaveVerdict(Verdict.Yellow);

        act.Should().Throw<XunitException>().Which.Message.Should().StartWith("Expected scenario \"orders\" [crash-after-target-write] to be yellow, but it was red:");
    }
}
