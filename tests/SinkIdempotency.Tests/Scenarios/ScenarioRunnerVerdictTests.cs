using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Tests.Scenarios.Support;
using static SinkIdempotency.Tests.Scenarios.Support.ScenarioFixtures;

namespace SinkIdempotency.Tests.Scenarios;

/// <summary>The grading rules for failed tasks, unseen records, dead letters found by Connect's keys, poison counts and settings the environment would replace.</summary>
public sealed class ScenarioRunnerVerdictTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_PoisonStopsTaskAndTraceNamesIt_IsYellowAttributedByTheTrace()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("poison-stop", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new SchemaBreak());

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Yellow, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.StoppedByFailedTask);
        var failure = result.TaskFailures.Should().ContainSingle().Subject;
        failure.CausedByPoison.Should().BeTrue();
        failure.Attribution.Should().StartWith("the trace names poison record");
        failure.Poison.Should().NotBeNull();
        failure.Attribution.Should().Contain(failure.Poison!.Value.ToString());
        result.Report![AnomalyKind.Unseen].Allowed.Should().BeTrue();
        result.Evidence.OfType<TaskFailureEvidence>().Should().ContainSingle().Which.CausedByPoison.Should().BeTrue();
    }

    [Fact]
    public async Task RunAsync_PoisonStopsTaskWhoseTraceNamesNoRecord_IsYellowAttributedByTheCommittedOffset()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { TraceNamesRecord = false });
        var scenario = Make("poison-stop-silent", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new SchemaBreak());

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Yellow, result.Summarize());
        result.TaskFailures.Should().ContainSingle().Which.Attribution.Should().Contain("committed offset stops exactly at poison record");
        result.Evidence.OfType<StepEvidence>().Should().Contain(s => s.Message.StartsWith("before poison record 300 (TypeChange): the sink committed every record before it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_TaskFailsOnEveryRecord_IsRedWithTheTraceAndUnseenForbidden()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FailEveryRecord = true });

        var result = await Run(environment, Make("writes-nothing", Insert, DeclaredSemantics.AtLeastOnce).WithFault(new SchemaBreak()));

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Outcome.Should().Be(ScenarioOutcome.StoppedByFailedTask);
        result.Report!.InTarget.Should().Be(0);
        result.Report[AnomalyKind.Unseen].Allowed.Should().BeFalse();
        result.Report.ForbiddenAnomalies.Should().Equal(AnomalyKind.Unseen);
        var failure = result.TaskFailures.Should().ContainSingle().Subject;
        failure.CausedByPoison.Should().BeFalse();
        failure.Attribution.Should().EndWith("which the scenario produced well-formed");
        failure.Summary.Should().Be("task 0 failed: org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler; caused by org.apache.kafka.connect.errors.DataException: simulated converter failure");
        result.Summarize().Should().Contain("  task 0 failed (not explained by the scenario: ").And.Contain("    Caused by: org.apache.kafka.connect.errors.DataException: simulated converter failure");
        File.ReadAllText(result.ReportPath!).Should().Contain("\"verdict\": \"red\"", "report.json carries the verdict with unseen forbidden");
    }

    [Fact]
    public async Task RunAsync_TaskFailsOnEveryRecordWithoutAnyPoison_IsRed()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FailEveryRecord = true });

        var result = await Run(environment, Make("no-fault-writes-nothing", Insert, DeclaredSemantics.ExactlyOnceEffect));

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.TaskFailures.Should().ContainSingle().Which.Attribution.Should().Be("the scenario produced no poison record, so none explains it");
    }

    [Fact]
    public async Task RunAsync_EveryRecordDeadLettered_IsRedLostNotYellowDeadLettered()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { FailEveryRecord = true });
        var scenario = Make("dead-letters-everything", Insert, DeclaredSemantics.ExactlyOnceEffect).WithDeadLetterQueue().WithFault(new SchemaBreak());

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Red, result.Summarize());
        result.Report![AnomalyKind.DeadLettered].Count.Should().Be(1, "only the poison record may be dead-lettered");
        result.Report[AnomalyKind.Lost].Count.Should().Be(599);
        result.Report[AnomalyKind.Lost].Examples[0].Detail.Should().Be("absent; dead-lettered although it was produced well-formed");
    }

    [Fact]
    public async Task RunAsync_DeadLetterTopicByConnectKeysOnly_IsYellowAndTheRunsTopicIsCreatedAndRemoved()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("dlq-keys", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "${dlq}")
            .WithFault(new SchemaBreak(new SchemaBreakOptions { Count = 3 }));

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Yellow, result.Summarize());
        result.Report![AnomalyKind.DeadLettered].Count.Should().Be(3);
        result.FaultDetail.Should().StartWith("Produced 3 poison record(s) (TypeChange) at ");
        environment.Created.Should().Contain($"topic:si-{result.RunId}-dlq-keys-dlq");
        environment.Topics.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_DeadLetterTopicOfTheTeam_IsReadButNeitherCreatedNorDeleted()
    {
        await using var environment = new SimulatedEnvironment();
        await environment.CreateTopicAsync("team-dlq", 1, TestContext.Current.CancellationToken);
        var scenario = Make("dlq-team", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("errors.tolerance", "all")
            .WithConnectorSetting("errors.deadletterqueue.topic.name", "team-dlq")
            .WithFault(new SchemaBreak(new SchemaBreakOptions { Count = 2 }));

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Yellow, result.Summarize());
        result.Report![AnomalyKind.DeadLettered].Count.Should().Be(2);
        environment.Topics.Should().Equal("team-dlq");
        environment.Created.Count(c => c == "topic:team-dlq").Should().Be(1, "only the test created it");
    }

    [Fact]
    public async Task RunAsync_SchemaBreakWithCountThree_ReportsThreePoisonRecords()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("poison-three", Insert, DeclaredSemantics.ExactlyOnceEffect).WithDeadLetterQueue().WithFault(new SchemaBreak(new SchemaBreakOptions { Count = 3 }));

        var result = await Run(environment, scenario);

        result.FaultDetail.Should().Match("Produced 3 poison record(s) (TypeChange) at *@*, *@*, *@*.");
    }

    [Fact]
    public async Task RunAsync_ConnectionUrlPointingElsewhere_ThrowsNamingTheKeyAndCreatesNothing()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("prod-url", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("connection.url", "jdbc:postgresql://db.prod.internal:5432/orders");

        var act = () => Run(environment, scenario);

        var thrown = await act.Should().ThrowAsync<ScenarioConfigurationException>();
        thrown.Which.Key.Should().Be("connection.url");
        thrown.Which.Message.Should().Be(
            "Scenario 'prod-url' sets connection.url to 'jdbc:postgresql://db.prod.internal:5432/orders', but the simulated environment points the connector at its own target and reads the results there; "
            + "the harness never replaces a team's setting silently. Remove connection.url (the environment fills it in), write ${target.url} to say so explicitly, or run with --env external (ExternalEnvironmentBuilder) against that database.");
        environment.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_PasswordOfItsOwn_ThrowsWithoutShowingIt()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("own-password", Insert, DeclaredSemantics.ExactlyOnceEffect).WithConnectorSetting("connection.password", "s3cret");

        var act = () => Run(environment, scenario);

        (await act.Should().ThrowAsync<ScenarioConfigurationException>()).Which.Message.Should().Contain("sets connection.password to a value of its own").And.NotContain("s3cret");
    }

    [Fact]
    public async Task RunAsync_TargetPlaceholders_AreReplacedWithTheEnvironmentsSettings()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("placeholders", Insert, DeclaredSemantics.ExactlyOnceEffect)
            .WithConnectorSetting("connection.url", "${target.url}")
            .WithConnectorSetting("connection.user", "${target.user}")
            .WithConnectorSetting("audit.url", "${target.url}?ApplicationName=audit");

        var result = await Run(environment, scenario);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        var config = EvidenceJson.Parse(await File.ReadAllTextAsync(result.EvidencePath!, TestContext.Current.CancellationToken)).ConnectorConfig;
        config["connection.url"].Should().Be("jdbc:postgresql://127.0.0.1:5432/sim");
        config["connection.user"].Should().Be("sim");
        config["audit.url"].Should().Be("jdbc:postgresql://127.0.0.1:5432/sim?ApplicationName=audit");
    }

    [Theory]
    [InlineData("connection.url", "${target.host}", "connection.url uses the unknown placeholder '${target.host}'")]
    [InlineData("topics", "orders", "sets topics to 'orders', but the harness produces the workload to the run's own topic (si-")]
    [InlineData("table.name.format", "${topic}", "sets table.name.format to 'si-")]
    [InlineData("topics.regex", "orders.*", "sets topics.regex, but the harness produces the workload to the run's own topic")]
    [InlineData("consumer.override.group.id", "orders-sink", "sets consumer.override.group.id to 'orders-sink', but the harness judges the sink by the offsets committed in the group Kafka Connect names connect-<connector> (connect-si-")]
    public void Check_SettingTheEnvironmentWouldReplace_ThrowsNamingTheKey(string key, string value, string message)
    {
        var runner = new ScenarioRunner(new SimulatedEnvironment(), Options(_folder.Path));
        var scenario = Make("check", Insert, DeclaredSemantics.ExactlyOnceEffect).WithConnectorSetting(key, value);

        var act = () => runner.Check(scenario);

        act.Should().Throw<ScenarioConfigurationException>().Where(e => e.Key == key).Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Check_TargetKindTheEnvironmentDoesNotServe_ThrowsNamingTargetKindBeforeAnythingIsCreated()
    {
        var environment = new SimulatedEnvironment();
        var runner = new ScenarioRunner(environment, Options(_folder.Path));
        var scenario = Make("mysql", Insert, DeclaredSemantics.ExactlyOnceEffect).WithTarget(ScenarioTarget.MySql(ReferenceMatrix.Mapping));

        var act = () => runner.Check(scenario);

        act.Should().Throw<ScenarioConfigurationException>().Where(e => e.Key == "target.kind")
            .Which.Message.Should().Contain("names target.kind mysql").And.Contain("serves only the postgres target");
        environment.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_TargetKindTheEnvironmentDoesNotServe_CreatesNothing()
    {
        var environment = new SimulatedEnvironment();
        var scenario = Make("mysql", Insert, DeclaredSemantics.ExactlyOnceEffect).WithTarget(ScenarioTarget.MySql());

        var act = () => new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ScenarioConfigurationException>()).Which.Key.Should().Be("target.kind");
        environment.Created.Should().BeEmpty();
    }

    [Fact]
    public void Check_EnvironmentThatUsesTheTeamsSettings_KeepsThem()
    {
        var runner = new ScenarioRunner(new SimulatedEnvironment(new SimulatedOptions { UsesScenarioTargetSettings = true }), Options(_folder.Path));
        var scenario = Make("external", Insert, DeclaredSemantics.ExactlyOnceEffect).WithConnectorSetting("connection.url", "jdbc:postgresql://db.internal:5432/orders");

        var act = () => runner.Check(scenario);

        act.Should().NotThrow();
    }

    [Fact]
    public void Check_PoisonIndexOutsideTheWorkload_Throws()
    {
        var runner = new ScenarioRunner(new SimulatedEnvironment(), Options(_folder.Path));
        var scenario = Make("bad-poison", Insert, DeclaredSemantics.ExactlyOnceEffect, records: 100).WithFault(new FixedPoison(new PoisonRecord(100, PoisonKind.TypeChange)));

        var act = () => runner.Check(scenario);

        act.Should().Throw<ArgumentException>().WithMessage("Poison record index 100 is outside the workload's 100 record(s); use 0 to 99.");
    }

    [Fact]
    public void Check_PoisonIndexTwice_Throws()
    {
        var runner = new ScenarioRunner(new SimulatedEnvironment(), Options(_folder.Path));
        var scenario = Make("twice", Insert, DeclaredSemantics.ExactlyOnceEffect).WithFault(new FixedPoison(new PoisonRecord(5, PoisonKind.TypeChange), new PoisonRecord(5, PoisonKind.GarbageBytes)));

        var act = () => runner.Check(scenario);

        act.Should().Throw<ArgumentException>().WithMessage("Scenario 'twice': the fault fixed-poison poisons record 5 more than once; give each poison record its own index.");
    }

    private Task<ScenarioResult> Run(SimulatedEnvironment environment, Scenario scenario) =>
        new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

    private sealed class FixedPoison(params PoisonRecord[] poison) : Fault
    {
        public override string Name => "fixed-poison";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.None;

        public override IReadOnlyList<PoisonRecord> PoisonRecords(ScenarioWorkload workload) => poison;

        protected internal override Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new FaultOutcome(true, "Poisoned."));
    }
}
