using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;
using static SinkIdempotency.Tests.Scenarios.Support.ScenarioFixtures;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class ScenarioRunnerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_NoFaultInsert_IsGreenAndCleansUp()
    {
        await using var environment = new SimulatedEnvironment();

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(Make("baseline", Insert, DeclaredSemantics.ExactlyOnceEffect), TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.Settled);
        result.Report!.Produced.Should().Be(600);
        result.Report.InTarget.Should().Be(600);
        environment.Connectors.Should().BeEmpty();
        environment.Topics.Should().BeEmpty();
        environment.Tables.Should().BeEmpty();
        environment.Removed.Should().BeEquivalentTo(environment.Created);
    }

    [Fact]
    public async Task RunAsync_EnvironmentThatCannotDescribeTheGroup_SaysPartitionOwnershipWasNotCheckedRatherThanClaimingIt()
    {
        // The simulated environment, like librdkafka's mock cluster, does not describe a group's members.
        await using var environment = new SimulatedEnvironment();

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(Make("ownership", Insert, DeclaredSemantics.ExactlyOnceEffect), TestContext.Current.CancellationToken);

        var deploy = result.Evidence.OfType<StepEvidence>().Where(s => s.Step == "deploy").Select(s => s.Message).ToList();
        deploy.Should().Contain(m => m.StartsWith("could not check that the sink's consumers own every partition", StringComparison.Ordinal));
        deploy.Should().NotContain("the sink's consumers own every partition");
    }

    [Fact]
    public async Task RunAsync_EnvironmentWithUnverifiedParts_RecordsEveryNoteInTheEvidenceAndWarnsOfTheUnverified()
    {
        var unverified = "The Connect image img runs vendor-sink-1.0.zip installed without a pinned checksum (sha256 " + new string('a', 64) + ")";
        var provenance = new ProvenanceEnvironment(["Connect image img: jdbc.zip sha256 " + new string('b', 64) + ", verified", "Connect image img: vendor-sink-1.0.zip NOT verified"], [unverified]);
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Environment = provenance });

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(Make("provenance", Insert, DeclaredSemantics.ExactlyOnceEffect), TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        var deploy = result.Evidence.OfType<StepEvidence>().Where(s => s.Step == "deploy").Select(s => s.Message).ToList();
        deploy.Should().Contain(["environment: Connect image img: jdbc.zip sha256 " + new string('b', 64) + ", verified", "environment: Connect image img: vendor-sink-1.0.zip NOT verified"]);
        result.Warnings.Should().Equal(unverified);
        result.Summarize().Should().Contain("warning: " + unverified);
    }

    [Fact]
    public async Task RunAsync_EnvironmentWithoutProvenance_RecordsNoEnvironmentNotes()
    {
        await using var environment = new SimulatedEnvironment();

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(Make("no-provenance", Insert, DeclaredSemantics.ExactlyOnceEffect), TestContext.Current.CancellationToken);

        result.Evidence.OfType<StepEvidence>().Should().NotContain(s => s.Message.StartsWith("environment: ", StringComparison.Ordinal));
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_CrashAfterTargetWriteWithInsert_IsRedWithDuplicatesAndKillInsideWindow()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("crash-insert", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.Settled);
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Report[AnomalyKind.Lost].Count.Should().Be(0);
        result.CrashWindow.Should().NotBeNull();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.CrashWindow.RowsAhead.Should().BePositive();
        environment.Kills.Should().Be(1);
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().ContainInOrder("arm", "kill-worker", "restart-worker");
    }

    [Fact]
    public async Task RunAsync_CrashAfterTargetWriteWithUpsert_IsGreen()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("crash-upsert", Upsert, DeclaredSemantics.UpsertByKey).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.Report!.Superseded.Should().Be(550);
    }

    [Fact]
    public async Task RunAsync_SinkWhoseTargetIsNeverAhead_IsGreenWithTheFindingThatTheWindowNeverOpened()
    {
        // Commits before it writes: the target is never ahead, and the records-behind window the watch sees shows that
        // the observations resolved the sink's order, so the shut window is a finding.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { CommitBeforeWrite = true, BatchDelay = TimeSpan.FromMilliseconds(20) });
        var scenario = Make("no-window", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.WindowNeverOpened);
        result.Finding.Should().Be("the target never ran ahead of the commits in 600 records");
        result.Reasons.Should().BeEmpty();
        environment.Kills.Should().Be(0);
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().Contain("window-never-opened");
    }

    [Fact]
    public async Task RunAsync_SinkWhoseWindowsNeverShow_IsRedNotInjectedNotAFinding()
    {
        // Offsets committed in the same step as the write: neither window ever shows, as when a loaded harness observes too
        // seldom for a sink's windows of a few milliseconds. A shut window seen that coarsely is no finding.
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { CommitWithWrite = true });
        var scenario = Make("no-window", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterOffsetCommit());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.FaultNotInjected);
        result.Finding.Should().BeNull();
        result.FaultDetail.Should().StartWith("The window never showed in").And.Contain("neither did the opposite one (rows written past the committed offsets)");
        environment.Kills.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_PipelineThatNeverCommits_IsRedForNoConvergence()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { NeverCommit = true });
        var scenario = Make("stuck", Insert, DeclaredSemantics.AtLeastOnce).WithTimeouts(settle: TimeSpan.FromSeconds(2));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red);
        result.Outcome.Should().Be(ScenarioOutcome.NoConvergence);
        result.Report!.InTarget.Should().Be(600, "every row is written; only the commit never comes");
        result.Reasons.Should().ContainSingle().Which.Should().Contain("No convergence within 2 s").And.Contain("committed nothing of");
    }

    [Fact]
    public async Task RunAsync_FaultNeedsMissingCapability_IsSkippedWithReasonAndCreatesNothing()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = EnvironmentCapabilities.None });
        var scenario = Make("no-kill", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new CrashAfterTargetWrite());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.Verdict.Should().BeNull("a skipped scenario must never read as a pass");
        result.SkipReason.Should().Be("CrashAfterTargetWrite needs the capabilities KillWorker, RestartWorker, which the environment does not have. (simulated environment)");
        result.Report.Should().BeNull();
        environment.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_OffsetCommitTimeoutWithoutBrokerFaults_IsSkippedNamingTheBrokerAndCreatesNothing()
    {
        // Everything else the fault needs is there: only the broker that can fail an applied commit is missing.
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("commit-timeout", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new OffsetCommitTimeout());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.Verdict.Should().BeNull();
        result.SkipReason.Should().StartWith("offset-commit-timeout needs broker-side faults (EnvironmentCapabilities.BrokerFaults)").And.EndWith("(simulated environment)");
        environment.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_OffsetCommitTimeoutWithBrokerFaultsButNoBroker_FailsLoudly()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = new SimulatedOptions().Capabilities | EnvironmentCapabilities.BrokerFaults });
        var scenario = Make("commit-timeout", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new OffsetCommitTimeout());

        var run = () => new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        (await run.Should().ThrowAsync<ScenarioEnvironmentException>()).WithInnerException<InvalidOperationException>().WithMessage("*announces broker faults but gives no broker*");
        environment.Connectors.Should().BeEmpty("the run removes what it created");
    }

    [Fact]
    public async Task RunAsync_TargetTimeoutWithoutProxy_IsSkipped()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = EnvironmentCapabilities.TargetFaultProxy });
        var scenario = Make("timeout", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new TargetTimeout());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.SkipReason.Should().Be("TargetTimeout needs a target fault proxy, and the simulated environment has none in front of its postgres target.");
    }

    [Fact]
    public async Task RunAsync_ConnectorNeverStarts_ThrowsAndStillRemovesWhatItCreated()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FailConnectorStart = true });
        var scenario = Make("broken", Insert, DeclaredSemantics.ExactlyOnceEffect).WithTimeouts(start: TimeSpan.FromMilliseconds(300));

        var act = () => new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioEnvironmentException>())
            .Which.Message.Should().Contain("did not reach RUNNING with all tasks within 0.3 s (state FAILED");
        environment.Connectors.Should().BeEmpty();
        environment.Topics.Should().BeEmpty();
        environment.Tables.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_SchemaBreakToleranceAllWithoutDeadLetterQueue_IsRedSilentlyDropped()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("poison-no-dlq", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("errors.tolerance", "all")
            .WithFault(new SchemaBreak(new SchemaBreakOptions { Count = 2 }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Report![AnomalyKind.SilentlyDropped].Count.Should().Be(2);
        result.Report.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
        result.Reasons.Should().ContainSingle().Which.Should().Be(
            "errors.tolerance=all without errors.deadletterqueue.topic.name: Connect skips a record it cannot convert or transform and commits past it, leaving no trace (2 record(s) silently dropped). Set a dead-letter topic.");
    }

    [Fact]
    public async Task RunAsync_SchemaBreakWithDeadLetterQueue_IsYellowWithEveryPoisonDeadLettered()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("poison-dlq", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithDeadLetterQueue()
            .WithFault(new SchemaBreak(new SchemaBreakOptions { Count = 2, Kind = PoisonKind.GarbageBytes }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Yellow, result.Summarize());
        result.Report![AnomalyKind.DeadLettered].Count.Should().Be(2);
        result.Report.AllowedAnomalies.Should().Equal(AnomalyKind.DeadLettered);
        result.Evidence.OfType<DeadLetterEvidence>().Should().ContainSingle().Which.Count.Should().Be(2);
        environment.Topics.Should().BeEmpty("the dead-letter topic carries the run id and is removed too");
    }

    [Fact]
    public async Task RunAsync_SchemaBreakToleranceNone_StopsWithFailedTaskAndUnseenRecords()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("poison-stop", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new SchemaBreak());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.StoppedByFailedTask, result.Summarize());
        result.Verdict.Should().Be(Verdict.Yellow);
        result.Report![AnomalyKind.Unseen].Count.Should().BePositive();
        result.Report[AnomalyKind.Lost].Count.Should().Be(0);
        result.Evidence.OfType<ConnectorStateEvidence>().Should().Contain(e => e.Tasks.Any(t => t.State == "FAILED" && t.Trace!.StartsWith("org.apache.kafka.connect.errors.ConnectException", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(ReplayResetMethod.OffsetsApi)]
    [InlineData(ReplayResetMethod.ConsumerGroup)]
    public async Task RunAsync_ReplayWithInsert_IsRedWithEveryRecordDuplicated(ReplayResetMethod method)
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("replay-insert", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new Replay(new ReplayOptions { Method = method }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(600);
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().Contain(method == ReplayResetMethod.OffsetsApi ? "reset-offsets-api" : "reset-consumer-group");
    }

    [Theory]
    [InlineData(ReplayResetMethod.OffsetsApi)]
    [InlineData(ReplayResetMethod.ConsumerGroup)]
    public async Task RunAsync_ReplayOfAConnectorStartingAtLatestWithInsert_IsRedWithEveryRecordDuplicated(ReplayResetMethod method)
    {
        // consumer.override.auto.offset.reset=latest: a reset that deletes the offsets would start the sink at the log end,
        // replay nothing and grade an append-only sink green. The replay names its offsets, so the setting plays no part.
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("replay-latest", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("consumer.override.auto.offset.reset", "latest")
            .WithFault(new Replay(new ReplayOptions { Method = method }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        // The simulated sink starts at the log end as its tasks start, so the first pass may miss the first records; every
        // record it wrote is written again by the replay, and the replay writes the rest.
        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.ReportBeforeFault!.InTarget.Should().BePositive();
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(result.ReportBeforeFault.InTarget);
        result.Report.InTarget.Should().Be(600);
    }

    [Fact]
    public async Task RunAsync_ReplayWithUpsert_IsGreen()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("replay-upsert", Upsert, DeclaredSemantics.UpsertByKey).WithFault(new Replay());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.FaultDetail.Should().Be("Stopped the connector, reset to the beginning its offsets and resumed it.");
    }

    [Fact]
    public async Task RunAsync_WorkerJoinsWithInsert_IsGreenAndRecordsTheAssignmentChange()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("join", Insert, DeclaredSemantics.ExactlyOnceEffect, records: 1500).WithFault(new Rebalance());

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        var moves = result.Evidence.OfType<AssignmentEvidence>().Where(a => a.Before.Count > 0).ToList();
        moves.Should().Contain(a => a.After.Values.Contains("sim-1:8083"));
    }

    [Fact]
    public async Task RunAsync_WorkerDiesInsideTheWindowWithInsert_IsRedWithDuplicates()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("die", Insert, DeclaredSemantics.ExactlyOnceEffect, records: 1500)
            .WithFault(new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies, KillWhileTargetAhead = true }));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive(result.Summarize());
        result.CrashWindow!.InsideWindow.Should().BeTrue();
        result.Evidence.OfType<FaultActionEvidence>().Select(e => e.Action).Should().ContainInOrder("add-worker", "plan-holds", "kill-worker");
        result.Evidence.OfType<FaultActionEvidence>().Single(e => e.Action == "plan-holds").Detail
            .Should().StartWith("Producing the rest of the stream in 6 steps: it holds before records 625, 800, 975, 1150, 1325 of 1500 ", "the steps divide what follows the rebalance's hold at 30 % of 1500");

        // Two tasks on two workers: the window holds only the dying worker's partitions (task i reads partitions i, i + 2, …);
        // rows a surviving task wrote past its own commits are not the dead worker's and are committed as usual.
        var window = result.CrashWindow;
        window.Tasks.Should().HaveCount(1);
        window.Partitions.Should().NotBeEmpty().And.OnlyContain(p => p.Partition % 2 == window.Tasks[0]);
    }

    [Fact]
    public async Task RunAsync_Always_WritesParseableEvidenceWithRedactedSecretsAndTheReport()
    {
        await using var environment = new SimulatedEnvironment();

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(Make("files", Insert, DeclaredSemantics.AtLeastOnce), TestContext.Current.CancellationToken);

        var document = EvidenceJson.Parse(await File.ReadAllTextAsync(result.EvidencePath!, TestContext.Current.CancellationToken));
        document.RunId.Should().Be(result.RunId);
        document.ConnectorConfig["connection.password"].Should().Be("[redacted]");
        document.ConnectorConfig["topics"].Should().Be($"si-{result.RunId}-files");
        document.Events.OfType<OffsetsEvidence>().Should().Contain(o => o.Label == "settled" && o.Partitions.All(p => p.Committed == p.End));
        document.Events.OfType<StepEvidence>().Select(s => s.Step).Should().ContainInOrder("deploy", "stream", "settle", "reconcile", "cleanup");
        File.ReadAllText(result.ReportPath!).Should().Contain("\"verdict\": \"green\"");
        Path.GetDirectoryName(result.EvidencePath).Should().Be(Path.Combine(_folder.Path, $"files-{result.RunId}"));
    }
}
