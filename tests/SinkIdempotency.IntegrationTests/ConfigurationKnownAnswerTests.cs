using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>
/// Known answers for configurations the reference matrix does not use: more tasks than partitions, the smallest and a
/// huge poll, a dead-letter queue with Connect's context headers, a sink that silently writes nothing for some keys,
/// transforms the embedded worker cannot run, and key-less records upserted by key.
/// Each verdict is what it must be in every run; a kill that misses may be an honest red, never a green.
/// </summary>
public sealed class ConfigurationKnownAnswerTests(TestPluginFixture fixture) : IClassFixture<TestPluginFixture>
{
    private const string DroppingSink = "SinkIdempotency.TestPlugin.DroppingSinkConnector";

    [Fact]
    public async Task TasksMaxAbovePartitionCount_CrashAfterTargetWriteWithPlainInsert_IsRedWithDuplicates()
    {
        // Four tasks for two partitions: two tasks own nothing, and the task the fault names may be one of them.
        var scenario = Reference("crash-after-target-write/postgres-insert").WithConnectorSetting("tasks.max", "4");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.CrashWindow!.InsideWindow.Should().BeTrue();
    }

    [Fact]
    public async Task TasksMaxAbovePartitionCount_CrashAfterTargetWriteWithUpsert_IsGreen()
    {
        var scenario = Reference("crash-after-target-write/postgres-upsert").WithConnectorSetting("tasks.max", "4");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    public async Task MaxPollRecords_CrashAfterTargetWriteWithPlainInsert_IsRedWithDuplicates(int maxPollRecords)
    {
        // One record per put, or the whole stream in one: the held steps keep the window open to a kill either way.
        var scenario = Reference("crash-after-target-write/postgres-insert")
            .WithConnectorSetting("consumer.override.max.poll.records", maxPollRecords.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report![AnomalyKind.Duplicated].Count.Should().BePositive();
        result.Evidence.OfType<Evidence.FaultActionEvidence>().Should().Contain(a => a.Action == "plan-holds");
    }

    [Fact]
    public async Task ToleranceAllWithDeadLetterContextHeaders_PoisonRecords_IsYellowWithEveryPoisonDeadLettered()
    {
        // Connect's context headers add __connect.errors.* headers to every dead letter; the records still count by event id.
        var scenario = ReferenceMatrix.Make("dlq-context-headers", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak(new SchemaBreakOptions { Count = 3 }))
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}")
            .WithConnectorSetting("errors.deadletterqueue.context.headers.enable", "true")
            .WithConnectorSetting("errors.log.enable", "true");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveDeadLettered(3).And.HaveNoSilentlyDroppedRecords().And.HaveNoLostRecords().And.HaveNoDuplicates();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SinkThatDropsSomeKeys_NoFaultOrReplay_IsRedWithThoseRecordsLost(bool replay)
    {
        // No error, no failed task, no dead letter: the group commits past records the target never got.
        var scenario = ReferenceMatrix.Make(replay ? "dropping-sink-replay" : "dropping-sink", VerdictKnownAnswerTests.PluginSink(DroppingSink), DeclaredSemantics.ExactlyOnceEffect, replay ? new Replay() : null);

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed().And.HaveNoDuplicates();
        var lost = result.Report![AnomalyKind.Lost];
        lost.Count.Should().BePositive().And.Be(result.Report.Produced - result.Report.InTarget, "every record the target lacks was committed past, so it is lost, not unseen");
        lost.Examples.Should().OnlyContain(e => e.Key != null && e.Key.EndsWith('7'));
        result.Report[AnomalyKind.Unseen].Count.Should().Be(0);
    }

    [Fact]
    public async Task TransformsThatDropTheEventId_WorkerWithoutTransforms_FailsNamingTheKeyInsteadOfAVerdict()
    {
        // The embedded worker runs no Single Message Transforms: a verdict on the connector without them would be about a
        // different pipeline, so the run must stop with Connect's own refusal rather than grade anything.
        var scenario = Reference("replay/postgres-upsert")
            .WithConnectorSetting("transforms", "drop")
            .WithConnectorSetting("transforms.drop.type", "org.apache.kafka.connect.transforms.ReplaceField$Value")
            .WithConnectorSetting("transforms.drop.exclude", "event_id");

        var run = () => fixture.RunAsync(scenario);

        (await run.Should().ThrowAsync<ScenarioEnvironmentException>())
            .WithMessage("*configuration transforms*Single Message Transforms are not supported*");
    }

    [Fact]
    public async Task KeylessRecords_UpsertByRecordKey_IsRedTaskFailedWithTheTargetsRefusal()
    {
        // Upsert on the record key with records that have none: every write is refused. No poison record of the scenario
        // explains the failed task, so it is red, with the refusal in the result, never yellow "stopped by poison".
        var scenario = ReferenceMatrix.Make("keyless-upsert", ReferenceMatrix.UpsertByKey, DeclaredSemantics.UpsertByKey, new Replay())
            .WithWorkload(w => w with { Keys = 0 });

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed();
        result.Report!.InTarget.Should().Be(0);
        result.TaskFailures.Should().NotBeEmpty().And.OnlyContain(f => !f.CausedByPoison);
        result.TaskFailures.SelectMany(f => f.Headlines).Should().Contain(l => l.Contains("null value in column", StringComparison.Ordinal));
    }

    private static Scenario Reference(string name) => ReferenceMatrix.Scenarios.Single(s => s.Scenario.Name == name).Scenario;
}
