using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>
/// Known answers for configurations, workload shapes and sink behaviours the other known-answer classes leave out: a
/// connector whose consumer starts at the log end, the JDBC sink's update mode, key-less and single-key workloads, one and
/// twelve partitions, a sink that reorders a batch, one that re-sends a batch on retry, a write-behind sink in the loss
/// window, and one task of two failing. Each verdict is derived from the reference notes and holds in every run.
/// </summary>
public sealed class AuditKnownAnswerTests(TestPluginFixture fixture) : IClassFixture<TestPluginFixture>
{
    private const string OneTaskFailsSink = "SinkIdempotency.TestPlugin.OneTaskFailsSinkConnector";

    private const string NewestFirstSink = "SinkIdempotency.TestPlugin.NewestFirstUpsertSinkConnector";

    private const string RewritingRetrySink = "SinkIdempotency.TestPlugin.Window.RewritingRetrySinkConnector";

    /// <summary>
    /// Plain inserts replayed from the beginning must duplicate every record (red, 1000 duplicated), whatever the
    /// connector's <c>auto.offset.reset</c>: the replay is the fault, and a replay that re-delivers nothing proves nothing.
    /// With <c>consumer.override.auto.offset.reset=latest</c> a reset that deletes the offsets (KIP-875 <c>DELETE</c>, or a
    /// deleted group) starts the sink at the log end, so the replay must name its offsets.
    /// </summary>
    [Fact]
    public async Task Replay_ConnectorStartingAtLatestWithPlainInsert_IsRedWithEveryRecordDuplicated()
    {
        var scenario = Reference("replay/postgres-insert").WithConnectorSetting("consumer.override.auto.offset.reset", "latest");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.ReportBeforeFault!.Verdict.Should().Be(Verdict.Green);
        result.Report![AnomalyKind.Duplicated].Count.Should().Be(1000);
    }

    /// <summary>
    /// The JDBC sink's <c>insert.mode=update</c> against an empty table changes no row and raises no error, and every offset
    /// is committed: all 1000 records are lost (red). The result must say why: nothing reached the target although the
    /// group committed past it, and the setting that does this.
    /// </summary>
    [Fact]
    public async Task UpdateMode_EmptyTable_IsRedWithEveryRecordLostAndTheReasonNamesTheSetting()
    {
        var scenario = ReferenceMatrix.Make("update-empty-table", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, null)
            .WithConnectorSetting("insert.mode", "update");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.Lost);
        result.Report[AnomalyKind.Lost].Count.Should().Be(1000);
        result.Report.InTarget.Should().Be(0);
        result.Reasons.Should().Contain(r => r.StartsWith("None of the 1000 record(s) reached the target (0 row(s) read), yet the group committed past 1000 of them", StringComparison.Ordinal))
            .And.Contain(r => r.StartsWith("insert.mode=update only changes rows that already exist", StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>errors.tolerance=all</c> without a dead-letter topic: Connect skips the poison records and commits past them,
    /// so they are silently dropped (red), and the result names the setting that did it.
    /// </summary>
    [Fact]
    public async Task ToleranceAllWithoutDeadLetterTopic_PoisonRecords_IsRedSilentlyDroppedAndTheReasonNamesTheSetting()
    {
        var result = await fixture.RunAsync(Reference("schema-break/postgres-insert"));

        result.Should().BeRed().And.HaveNoLostRecords();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
        result.Reasons.Should().Contain(r => r.StartsWith("errors.tolerance=all without errors.deadletterqueue.topic.name", StringComparison.Ordinal));
    }

    /// <summary>
    /// Records of 100 KB, five to a poll: plain inserts killed inside the window duplicate what was written and not
    /// committed (red, duplicated, nothing lost), as with small records.
    /// </summary>
    [Fact]
    public async Task LargeRecordsSmallPolls_CrashAfterTargetWriteWithPlainInsert_IsRedWithDuplicates()
    {
        var scenario = Reference("crash-after-target-write/postgres-insert")
            .WithConnectorSetting("consumer.override.max.poll.records", "5")
            .WithWorkload(w => w with { Records = 200, PayloadSize = 100 * 1024, RecordsPerSecond = 50 });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Report.InTarget.Should().Be(200);
    }

    /// <summary>
    /// Upsert on the Kafka coordinates (<c>pk.mode=kafka</c>) keys every row by topic, partition and offset, so records
    /// without a key are as safe as keyed ones: a redelivered record overwrites its own row. Green under a crash inside the
    /// window and under a replay, with every row carrying its record's coordinates.
    /// </summary>
    [Theory]
    [InlineData("crash-after-target-write")]
    [InlineData("replay")]
    public async Task UpsertByKafkaCoordinates_UnkeyedRecords_IsGreen(string fault)
    {
        var scenario = ReferenceMatrix.Make($"kafka-pk-unkeyed-{fault}", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, Fault(fault), CoordinatesMapping)
            .WithWorkload(w => w with { Keys = 0 });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.InTarget.Should().Be(1000);
        result.Report.TargetRows.Should().Be(1000, "one row per Kafka coordinate, however often a record was written");
        if (fault == "crash-after-target-write")
        {
            result.CrashWindow!.RowsAhead.Should().BePositive();
        }
    }

    /// <summary>
    /// Every record on one key: an upsert by key must end with exactly one row holding the newest version (999 records
    /// superseded), after a crash inside the window and after a replay that rewrites every older version first. Green.
    /// </summary>
    [Theory]
    [InlineData("crash-after-target-write")]
    [InlineData("replay")]
    public async Task UpsertByKey_EveryRecordOnOneKey_IsGreenWithOneRowAtTheNewestVersion(string fault)
    {
        var scenario = ReferenceMatrix.Make($"one-key-{fault}", ReferenceMatrix.UpsertByKey, DeclaredSemantics.UpsertByKey, Fault(fault))
            .WithWorkload(w => w with { Keys = 1 });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
        result.Report!.TargetRows.Should().Be(1);
        result.Report.InTarget.Should().Be(1);
        result.Report.Superseded.Should().Be(999);
    }

    /// <summary>
    /// A sink that upserts by key but writes each batch newest first leaves the oldest version of a batch in the row. A
    /// replay of one key's 1000 versions arrives in batches of many versions, so the key ends on an older version than the
    /// newest produced and committed: red, stale (never green, and never lost: the key has a row).
    /// </summary>
    [Fact]
    public async Task NewestFirstUpsertSink_ReplayOfOneKey_IsRedStale()
    {
        var scenario = ReferenceMatrix.Make("newest-first-upsert", VerdictKnownAnswerTests.PluginSink(NewestFirstSink), DeclaredSemantics.UpsertByKey, new Replay())
            .WithWorkload(w => w with { Keys = 1 });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.Stale);
        result.Report[AnomalyKind.Stale].Count.Should().Be(1);
        result.Report[AnomalyKind.Stale].Examples.Should().ContainSingle().Which.Detail.Should().StartWith("target holds version ");
    }

    /// <summary>
    /// A sink that answers its first and every third batch with a retriable error after writing it to an append-only table: Connect
    /// redelivers the batch and it is written twice. With no fault injected the run is red, duplicated, nothing lost.
    /// </summary>
    [Fact]
    public async Task RewritingRetrySink_NoFault_IsRedWithDuplicates()
    {
        var scenario = WindowSinkScenarios.Make("rewriting-retry", RewritingRetrySink, null);

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveNoLostRecords();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.Duplicated);
        result.Report[AnomalyKind.Duplicated].Count.Should().BePositive();
        result.TaskFailures.Should().BeEmpty("a retriable error never fails the task");
    }

    /// <summary>
    /// A background writer that reports queued records as done in <c>preCommit</c> (the revocation-drop sink: a timer
    /// thread writes records at least 250 ms old): killed while the committed offsets are ahead of the table, the queue is
    /// gone and the restarted task resumes after it. Red, lost, exactly the records behind the target at the kill.
    /// </summary>
    /// <remarks>
    /// Its window is short (open about 350 ms of every 500 ms offset flush while records flow, shut while the stream is
    /// held). On a machine loaded far past its cores a freeze has taken 400 ms to stop every thread, and it then found the
    /// window shut each time: the run is red "not injected", an honest red. Never green either way.
    /// </remarks>
    [Fact]
    public async Task CrashAfterOffsetCommit_TimerThreadWriterThatClaimsQueuedRecords_IsRedWithTheRecordsBehindLost()
    {
        var scenario = WindowSinkScenarios.Make("timer-writer-crash-after-offset-commit", WindowSinkScenarios.RevocationDrop, new CrashAfterOffsetCommit());

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed();
        if (result.Outcome == ScenarioOutcome.FaultNotInjected)
        {
            result.FaultDetail.Should().Contain("opened", "the window showed: a shut window would be a finding, and this sink has one");
            return;
        }

        result.Should().HaveInjectedTheFault();
        result.Report!.ForbiddenAnomalies.Should().Contain(AnomalyKind.Lost);
        var window = result.CrashWindow!;
        window.Kind.Should().Be(CrashWindowKind.CommitAheadOfTarget);
        window.Frozen.Should().BeTrue();
        result.Report[AnomalyKind.Lost].Count.Should().Be(window.RecordsBehind, "the records committed and not written at the kill are exactly the ones lost");
    }

    /// <summary>
    /// Two tasks, and task 1 fails on its first records with a non-retriable error while task 0 keeps writing. Whatever
    /// happens to task 1's partitions afterwards, a failed task nothing in the scenario explains is red, and the failure
    /// is task 1's. The sink is idempotent, so nothing is duplicated. The rebalance that moves task 1's partitions to task 0
    /// is the failure's doing, and the result must not put it down to a paused machine.
    /// </summary>
    [Fact]
    public async Task TwoTasksOneFails_NoFault_IsRedWithTheFailureOfThatTask()
    {
        var scenario = ReferenceMatrix.Make("one-task-fails", VerdictKnownAnswerTests.PluginSink(OneTaskFailsSink), DeclaredSemantics.ExactlyOnceEffect, null)
            .WithConnectorSetting("tasks.max", "2");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveNoLostRecords().And.HaveNoDuplicates();
        result.TaskFailures.Should().NotBeEmpty().And.OnlyContain(f => f.Task == 1 && !f.CausedByPoison);
        result.TaskFailures[0].Headlines.Should().Contain(l => l.Contains("Task 1 cannot write", StringComparison.Ordinal));
        result.Report!.InTarget.Should().BePositive("task 0 keeps writing");
        result.Warnings.Should().NotContain(w => w.Contains("garbage collection", StringComparison.Ordinal), "the group rebalanced because task 1 failed, not because the machine paused");
    }

    /// <summary>
    /// A connector whose tasks consume as another group (<c>consumer.override.group.id</c>) commits its progress where the
    /// harness does not look (it reads <c>connect-&lt;connector&gt;</c>, as Connect names the group), so every crash
    /// window, settle and loss would be judged on offsets nobody commits. No verdict can be right: the run must refuse
    /// before it creates anything, naming the setting.
    /// </summary>
    [Fact]
    public async Task ConsumerGroupOverride_KnownGoodUpsertUnderCrash_IsRefusedNamingTheSetting()
    {
        var scenario = Reference("crash-after-target-write/postgres-upsert").WithConnectorSetting("consumer.override.group.id", "orders-sink");

        var run = () => fixture.RunAsync(scenario);

        (await run.Should().ThrowAsync<ScenarioConfigurationException>()).Which.Key.Should().Be("consumer.override.group.id");
    }

    /// <summary>The group Connect would use anyway, written out (<c>connect-${connector}</c>), is no override: green, as without it.</summary>
    [Fact]
    public async Task ConsumerGroupOverride_ConnectsOwnGroupName_IsAcceptedAndGreen()
    {
        var scenario = Reference("crash-after-target-write/postgres-upsert").WithConnectorSetting("consumer.override.group.id", "connect-${connector}");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    /// <summary>
    /// Plain inserts killed inside the window duplicate what was written and not committed, however the stream is split:
    /// one partition (the whole stream behind one committed offset) or twelve (about 80 records each, several commits with
    /// few rows ahead per partition). Red, duplicated.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public async Task Partitions_CrashAfterTargetWriteWithPlainInsert_IsRedWithDuplicates(int partitions)
    {
        var scenario = Reference("crash-after-target-write/postgres-insert").WithWorkload(w => w with { Partitions = partitions });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Report.Partitions.Should().HaveCount(partitions);
        result.CrashWindow!.InsideWindow.Should().BeTrue();
    }

    private static PostgreSqlTableMapping CoordinatesMapping { get; } = ReferenceMatrix.Mapping with
    {
        TopicColumn = "__connect_topic",
        PartitionColumn = "__connect_partition",
        OffsetColumn = "__connect_offset",
    };

    private static Fault Fault(string name) => name switch
    {
        "crash-after-target-write" => new CrashAfterTargetWrite(),
        "replay" => new Replay(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown fault."),
    };

    private static Scenario Reference(string name) => ReferenceMatrix.Scenarios.Single(s => s.Scenario.Name == name).Scenario;
}
