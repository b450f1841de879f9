using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;
using static SinkIdempotency.Tests.Scenarios.Support.ScenarioFixtures;

namespace SinkIdempotency.Tests.Scenarios;

/// <summary>The two crash windows, kills placed on a frozen worker, findings for windows that never open, and settling at the sink's own rhythm, on the simulated cluster.</summary>
public sealed class CrashWindowRunnerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_CrashAfterOffsetCommitWithASinkThatCommitsBeforeWriting_IsRedWithExactlyTheRecordsBehindLost()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { CommitBeforeWrite = true, BatchDelay = TimeSpan.FromMilliseconds(20) });
        var scenario = Make("commit-first", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.Settled);
        var window = result.CrashWindow!;
        window.Kind.Should().Be(CrashWindowKind.CommitAheadOfTarget);
        window.InsideWindow.Should().BeTrue();
        window.Frozen.Should().BeTrue();
        window.Drained.Should().BeTrue();
        window.ObservedAtKill.Should().Be(window.RecordsBehind, "a frozen worker cannot change what the reads after the kill find");
        result.Report![AnomalyKind.Lost].Count.Should().Be(window.RecordsBehind);
        result.Report[AnomalyKind.Duplicated].Count.Should().Be(0);
        environment.Kills.Should().Be(1);
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().ContainInOrder("arm", "kill-worker", "restart-worker");
    }

    [Fact]
    public async Task RunAsync_CrashAfterOffsetCommitWithASinkThatWritesBeforeCommitting_IsGreenWithTheFinding()
    {
        // Commits every 50 ms, so the worker commits many times while the records flow and the shut window is a finding.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FlushInterval = TimeSpan.FromMilliseconds(50) });
        var scenario = Make("write-first", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("no commit ran ahead of the target in 600 records");
        result.FaultDetail.Should().StartWith("The window never opened: no commit ran ahead of the target in 600 records (");
        environment.Kills.Should().Be(0);
        environment.Freezes.Should().Be(0, "a closed window is never worth a freeze");
    }

    [Fact]
    public async Task RunAsync_StreamTooShortToHoldSwallowedInOneBatchAndOneCommit_IsRedNotInjectedNotAFinding()
    {
        // 30 records are too few for held steps: the sink takes every record in one batch and the worker commits once, so
        // no commit could have run ahead of the target whatever the sink does, and a window that stayed shut proves nothing.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { BatchSize = 10_000, ProduceDelay = TimeSpan.Zero, FlushInterval = TimeSpan.FromSeconds(1) });
        var scenario = Make("one-batch", Insert, DeclaredSemantics.ExactlyOnceEffect, records: 30).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.FaultNotInjected);
        result.Finding.Should().BeNull();
        result.FaultDetail.Should().StartWith("The window never opened, but the stream gave it no chance: no offset commit moved the group forward").And.Contain("workload.recordsPerSecond");
        result.Evidence.OfType<FaultActionEvidence>().Should().NotContain(e => e.Action == "plan-holds");
        environment.Kills.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_SinkThatWouldSwallowTheStreamInOneBatch_GetsItInHeldStepsEachReleasedAfterItsCommit()
    {
        // The same sink and pace as above with 600 records: the stream is produced in six steps, each released only once
        // the group committed the one before it, so the sink commits five times mid-stream and the shut window is a finding.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { BatchSize = 10_000, ProduceDelay = TimeSpan.Zero, FlushInterval = TimeSpan.FromMilliseconds(200) });
        var scenario = Make("held-steps", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        var actions = result.Evidence.OfType<FaultActionEvidence>().ToList();
        actions.Should().ContainSingle(e => e.Action == "plan-holds").Which.Detail.Should().Contain("in 6 steps: it holds before records 100, 200, 300, 400, 500 of 600");
        var holds = actions.Where(e => e.Action == "hold-stream").ToList();
        holds.Should().HaveCount(5);
        holds.Should().OnlyContain(h => h.Detail.Contains("until the group had committed every record before it", StringComparison.Ordinal));
        holds[^1].Detail.Should().StartWith("Held the stream before record 500 of 600 for ").And.EndWith("(0 hold(s) left).");
        result.FaultDetail.Should().Contain("5 offset commit(s)");
    }

    [Fact]
    public async Task RunAsync_NeitherWindowShowsInAnyStep_HoldsASecondStepBeforeReleasingTheRestUnheld()
    {
        // Offsets committed with the write: neither window shows in any step. One blind step can be a CPU-starved worker
        // that took the step in one poll and flushed right after the write, so the next step is held too; only a second
        // blind step in a row releases the rest of the stream (a sink that writes and commits together when the stream
        // pauses would have its window hidden by holding).
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { CommitWithWrite = true });
        var scenario = Make("blind-steps", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.FaultNotInjected, result.Summarize());
        var holds = result.Evidence.OfType<FaultActionEvidence>().Where(e => e.Action == "hold-stream").Select(e => e.Detail).ToList();
        holds.Should().HaveCount(2);
        holds[0].Should().Contain("neither window showed during that step").And.Contain("so the next step is held too");
        holds[1].Should().Contain("nor the 1 before it").And.EndWith("released the rest of the stream without holds.");
        environment.Kills.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_WindowOpenButNoFreezeConfirmsIt_ReleasesTheHeldStreamAndStaysRedNotInjected()
    {
        // Every freeze reports "not drained", so no kill is placed while the window looks open. The stream, held at its
        // first step, is released after the longest hold instead of waiting for the trigger timeout, and the run is an
        // honest red "not injected", never a verdict on the window.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FreezeNeverDrains = true, FlushInterval = TimeSpan.FromSeconds(12) });
        var scenario = Make("never-drains", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithFault(new CrashAfterTargetWrite(new CrashAfterTargetWriteOptions { TriggerTimeout = TimeSpan.FromSeconds(14) }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.FaultNotInjected);
        environment.Freezes.Should().BeGreaterThan(0);
        result.Evidence.OfType<FaultActionEvidence>().Where(e => e.Action == "hold-stream")
            .Should().ContainSingle(e => e.Detail.Contains("while the window looked open but no freeze confirmed it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WindowNeverOpensBecauseTheSinkWritesNothing_IsRedNotAFinding()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { WriteNothing = true, FlushInterval = TimeSpan.FromMilliseconds(50) });
        var scenario = Make("writes-nothing", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Reasons.Should().ContainSingle().Which.Should().StartWith("The sink wrote nothing to the target (600 record(s) produced, none present)");
    }

    [Fact]
    public async Task RunAsync_EnvironmentThatCannotFreeze_KillsAfterTheObservationAndSaysSo()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = new SimulatedOptions().Capabilities & ~EnvironmentCapabilities.FreezeWorker });
        var scenario = Make("no-freeze", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.CrashWindow!.Frozen.Should().BeFalse();
        result.CrashWindow.Drained.Should().BeNull();
        environment.Freezes.Should().Be(0);
        result.Evidence.OfType<FaultActionEvidence>().Single(e => e.Action == "kill-worker").Detail.Should().Contain("this environment cannot freeze workers");
    }

    [Fact]
    public async Task RunAsync_CrashAfterTargetWriteWithFreezing_PlacesTheKillOnTheFrozenWorkerAndRecordsWhatItSaw()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("frozen-kill", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        var window = result.CrashWindow!;
        window.Frozen.Should().BeTrue();
        window.Freezes.Should().BeGreaterThanOrEqualTo(1);
        window.FreezeDetail.Should().Be("simulated: every step is atomic");
        window.ObservedAtKill.Should().Be(window.RowsAhead);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(window.RowsAhead, "every row written and not committed at the kill is written again");
        environment.Freezes.Should().Be(window.Freezes);
    }

    [Fact]
    public async Task RunAsync_SinkThatPublishesLessOftenThanTheQuietPeriod_IsGreenNotGradedBetweenTwoPublications()
    {
        // Production takes about 1.5 s; rows show only at multiples of 500 ms, longer than the scenario's 300 ms quiet period.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { PublishEvery = TimeSpan.FromMilliseconds(500), ProduceDelay = TimeSpan.FromMilliseconds(50) });
        var scenario = Make("write-behind", Insert, DeclaredSemantics.ExactlyOnceEffect, records: 1500);

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Report!.InTarget.Should().Be(1500);
        result.Evidence.OfType<StepEvidence>().Should().Contain(s => s.Message.Contains("twice the sink's longest gap", StringComparison.Ordinal));
    }
}
