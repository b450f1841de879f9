using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;

namespace SinkIdempotency.IntegrationTests;

/// <summary>
/// Known answers for verdicts that used to be wrong: a connector that writes nothing, a dead-letter queue configured with
/// Connect's own keys, poison the target refuses (a sink that swallows the error, correct sinks that report it or stop),
/// and a correct idempotent sink under a crash. Each verdict is what it must be in every run.
/// </summary>
public sealed class VerdictKnownAnswerTests(TestPluginFixture fixture) : IClassFixture<TestPluginFixture>
{
    private const string SwallowingSink = "SinkIdempotency.TestPlugin.SwallowingErrorsSinkConnector";

    private const string StrictSink = "SinkIdempotency.TestPlugin.StrictTableSinkConnector";

    [Fact]
    public async Task ReadmeExampleWithoutConverters_WritesNothing_IsRedWithTheConverterFailureShown()
    {
        // The README's C# example as a team first writes it: no converters, so Connect's JsonConverter meets plain-text keys.
        var scenario = Scenario.Named("readme-without-converters")
            .WithConnector(new Dictionary<string, string>
            {
                ["connector.class"] = "PostgresSink",
                ["insert.mode"] = "insert",
                ["auto.create"] = "true",
            })
            .WithWorkload(w => w with { Records = 300 })
            .WithFault(new Replay())
            .Declaring(DeclaredSemantics.ExactlyOnceEffect);

        var result = await fixture.RunAsync(scenario);

        result.Should().BeRed();
        result.Report!.InTarget.Should().Be(0);
        result.TaskFailures.Should().NotBeEmpty().And.OnlyContain(f => !f.CausedByPoison);
        result.TaskFailures[0].Headlines.Should().Contain(l => l.Contains("JsonReaderException", StringComparison.Ordinal));
        result.Report.ForbiddenAnomalies.Should().Contain(AnomalyKind.Unseen, "records nothing explains are never allowed to stay unseen");
        var assertion = () => result.Should().NotBeRed();
        assertion.Should().Throw<Exception>().WithMessage("*task 0 failed (not explained by the scenario*JsonReaderException*");
    }

    [Fact]
    public async Task ToleranceAllWithDeadLetterTopicByConnectKeys_PoisonRecords_IsYellowWithEveryPoisonDeadLettered()
    {
        // Connect's own keys, no context headers (Connect's default): the runner finds the topic in the configuration and
        // matches its records by the event id in their value.
        var scenario = ReferenceMatrix.Make("dlq-by-connect-keys", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak(new SchemaBreakOptions { Count = 3 }))
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveDeadLettered(3).And.HaveNoSilentlyDroppedRecords().And.HaveNoLostRecords();
        result.FaultDetail.Should().StartWith("Produced 3 poison record(s)");
    }

    [Fact]
    public async Task DeadLetterTopicOfTheTeam_PoisonRecords_IsYellowAndTheTopicIsLeftInPlace()
    {
        var topic = "team-dlq-" + Guid.NewGuid().ToString("n")[..8];
        var scenario = ReferenceMatrix.Make("dlq-team-topic", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new SchemaBreak(new SchemaBreakOptions { Kind = PoisonKind.GarbageBytes, Count = 2 }))
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", topic)
            .WithConnectorSetting("errors.deadletterqueue.topic.replication.factor", "1");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveDeadLettered(2);
        var environment = await fixture.GetEnvironmentAsync(TestContext.Current.CancellationToken);
        var left = await environment.ReadDeadLetterTopicAsync(topic, TestContext.Current.CancellationToken);
        left.Should().HaveCount(2, "the harness reads a team's dead-letter topic and never deletes it");
    }

    [Theory]
    [InlineData(PoisonKind.TooLongForColumn)]
    [InlineData(PoisonKind.NullInNotNullColumn)]
    [InlineData(PoisonKind.OutOfRangeNumber)]
    public async Task TargetRejectedPoison_SinkThatSwallowsTargetErrors_IsRedSilentlyDropped(PoisonKind kind)
    {
        var result = await fixture.RunAsync(PluginScenario($"swallows-{kind}", SwallowingSink, kind));

        result.Should().BeRed().And.HaveInjectedTheFault().And.HaveNoLostRecords();
        result.Report!.ForbiddenAnomalies.Should().Equal(AnomalyKind.SilentlyDropped);
        result.Report[AnomalyKind.SilentlyDropped].Count.Should().Be(2);
        result.Evidence.OfType<Evidence.FaultActionEvidence>().Should().Contain(a => a.Action == "constrain-target");
    }

    [Fact]
    public async Task TargetRejectedPoison_ReferenceSinkWithDeadLetterTopic_IsYellowDeadLetteredThroughTheErrantRecordReporter()
    {
        var scenario = ReferenceMatrix.Make("reference-target-poison-dlq", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, TargetPoison(PoisonKind.TooLongForColumn))
            .WithConnectorSetting("max.retries", "1")
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveDeadLettered(2).And.HaveNoLostRecords().And.HaveNoSilentlyDroppedRecords();
        result.TaskFailures.Should().BeEmpty();
    }

    [Fact]
    public async Task TargetRejectedPoison_ReferenceSinkWithoutDeadLetterTopic_IsYellowStoppedByThePoisonItsErrorNames()
    {
        var scenario = ReferenceMatrix.Make("reference-target-poison-stop", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, TargetPoison(PoisonKind.NullInNotNullColumn))
            .WithConnectorSetting("max.retries", "1");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveNoLostRecords().And.HaveNoSilentlyDroppedRecords();
        result.Outcome.Should().Be(ScenarioOutcome.StoppedByFailedTask);
        result.TaskFailures.Should().NotBeEmpty().And.OnlyContain(f => f.CausedByPoison && f.Attribution!.StartsWith("the trace names poison record", StringComparison.Ordinal));
        result.Report![AnomalyKind.Unseen].Count.Should().BePositive();
    }

    [Fact]
    public async Task TargetRejectedPoison_CorrectSinkWhoseErrorNamesNoRecord_IsYellowByTheCommittedOffset()
    {
        var result = await fixture.RunAsync(PluginScenario("strict-target-poison-stop", StrictSink, PoisonKind.OutOfRangeNumber));

        result.Should().BeYellow().And.HaveNoLostRecords().And.HaveNoSilentlyDroppedRecords();
        result.TaskFailures.Should().NotBeEmpty().And.OnlyContain(f => f.CausedByPoison && f.Attribution!.Contains("committed offset stops exactly at poison record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TargetRejectedPoison_CorrectSinkWithDeadLetterTopic_IsYellowDeadLettered()
    {
        var scenario = PluginScenario("strict-target-poison-dlq", StrictSink, PoisonKind.TooLongForColumn)
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}");

        var result = await fixture.RunAsync(scenario);

        result.Should().BeYellow().And.HaveDeadLettered(2).And.HaveNoLostRecords();
    }

    [Fact]
    public async Task CorrectIdempotentSink_CrashAfterTargetWrite_IsGreen()
    {
        var scenario = ReferenceMatrix.Make("strict-crash", PluginSink(StrictSink), DeclaredSemantics.ExactlyOnceEffect, new CrashAfterTargetWrite());

        var result = await fixture.RunAsync(scenario);

        result.Should().BeGreen().And.HaveInjectedTheFault();
    }

    private static SchemaBreak TargetPoison(PoisonKind kind) => new(new SchemaBreakOptions { Kind = kind, Count = 2 });

    private static Scenario PluginScenario(string name, string connectorClass, PoisonKind kind) =>
        ReferenceMatrix.Make(name, PluginSink(connectorClass), DeclaredSemantics.ExactlyOnceEffect, TargetPoison(kind));

    internal static Dictionary<string, string> PluginSink(string connectorClass) => new(StringComparer.Ordinal)
    {
        ["connector.class"] = connectorClass,
        ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        ["value.converter.schemas.enable"] = "true",
    };
}
