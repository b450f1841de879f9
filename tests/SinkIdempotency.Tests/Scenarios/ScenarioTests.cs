using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class ScenarioTests
{
    private static readonly Dictionary<string, string> Sink = new() { ["connector.class"] = "PostgreSqlSink" };

    [Fact]
    public void Named_Defaults_AreDocumentedValues()
    {
        var scenario = Scenario.Named("orders");

        scenario.Semantics.Should().Be(DeclaredSemantics.ExactlyOnceEffect);
        scenario.Fault.Should().BeNull();
        scenario.DeadLetterQueue.Should().BeFalse();
        scenario.SettleTimeout.Should().Be(TimeSpan.FromSeconds(60));
        scenario.StableFor.Should().Be(TimeSpan.FromSeconds(1));
        scenario.StartTimeout.Should().Be(TimeSpan.FromSeconds(30));
        scenario.Target.Kind.Should().Be(ScenarioTarget.PostgreSqlKind);
        scenario.Target.Mapping.Table.Should().Be("${table}");
        scenario.Target.Mapping.EventIdColumn.Should().Be("event_id");
        scenario.Workload.Should().Be(new ScenarioWorkload());
    }

    [Fact]
    public void ScenarioWorkload_Defaults_AreDocumentedValues()
    {
        var workload = new ScenarioWorkload();

        workload.Records.Should().Be(1000);
        workload.Partitions.Should().Be(3);
        workload.Keys.Should().Be(100);
        workload.PayloadSize.Should().Be(64);
        workload.Format.Should().Be(RecordFormat.JsonEnvelope);
        workload.RecordsPerSecond.Should().BeNull();
        workload.Seed.Should().Be(1);
        workload.SchemaName.Should().Be("sinkidempotency.Event");
    }

    [Fact]
    public void ScenarioRunnerOptions_Defaults_AreDocumentedValues()
    {
        var options = new ScenarioRunnerOptions();

        options.OutputDirectory.Should().Be(Path.Combine(Environment.CurrentDirectory, "sink-idempotency-results"));
        options.PollInterval.Should().Be(TimeSpan.FromMilliseconds(25));
        options.SampleInterval.Should().Be(TimeSpan.FromMilliseconds(250));
        options.WorkerLogLines.Should().Be(200);
        options.RebalanceGrace.Should().Be(TimeSpan.FromSeconds(20));
        options.KeepResources.Should().BeFalse();
        options.RunId.Should().BeNull();
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void WithMethods_ReturnCopies_LeavingTheOriginalUnchanged()
    {
        var original = Scenario.Named("orders").WithConnector(Sink);

        var changed = original.WithFault(new Replay()).Declaring(DeclaredSemantics.AtLeastOnce).WithConnectorSetting("insert.mode", "upsert");

        original.Fault.Should().BeNull();
        original.ConnectorConfig.Should().NotContainKey("insert.mode");
        changed.Fault.Should().BeOfType<Replay>();
        changed.Semantics.Should().Be(DeclaredSemantics.AtLeastOnce);
        changed.ConnectorConfig["insert.mode"].Should().Be("upsert");
    }

    [Fact]
    public void WithDeadLetterQueue_SetsConnectsErrorSettings()
    {
        var scenario = Scenario.Named("orders").WithConnector(Sink).WithDeadLetterQueue();

        scenario.DeadLetterQueue.Should().BeTrue();
        scenario.ConnectorConfig.Should().Contain(new Dictionary<string, string>
        {
            ["errors.tolerance"] = "all",
            ["errors.deadletterqueue.topic.name"] = "${dlq}",
            ["errors.deadletterqueue.context.headers.enable"] = "true",
            ["errors.deadletterqueue.topic.replication.factor"] = "1",
        });
    }

    [Fact]
    public void Validate_NoConnectorClass_SaysWhatToCall()
    {
        FluentActions.Invoking(() => Scenario.Named("orders").Validate())
            .Should().Throw<ArgumentException>().WithMessage("Scenario 'orders' has no connector.class; call WithConnector with the sink's configuration.");
    }

    [Fact]
    public void Validate_ConnectorName_IsRejectedBecauseTheRunNamesIt()
    {
        FluentActions.Invoking(() => Scenario.Named("orders").WithConnector(Sink).WithConnectorSetting("name", "mine").Validate())
            .Should().Throw<ArgumentException>().WithMessage("*remove it: the runner names the connector after the run*");
    }

    [Fact]
    public void Validate_RebalanceOnOnePartition_SaysToUseMorePartitions()
    {
        var scenario = Scenario.Named("orders").WithConnector(Sink).WithWorkload(w => w with { Partitions = 1 }).WithFault(new Rebalance());

        FluentActions.Invoking(scenario.Validate).Should().Throw<ArgumentException>().WithMessage("*Use at least 2 partitions.");
    }
}
