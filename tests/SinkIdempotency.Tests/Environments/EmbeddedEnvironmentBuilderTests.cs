using SinkIdempotency.Environments;

namespace SinkIdempotency.Tests.Environments;

public sealed class EmbeddedEnvironmentBuilderTests
{
    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new EmbeddedEnvironmentBuilder().Options;

        options.Workers.Should().Be(1);
        options.WorkerPath.Should().BeNull();
        options.OffsetFlushInterval.Should().Be(TimeSpan.FromSeconds(5));
        options.WorkerSessionTimeout.Should().BeNull();
        options.ConsumerSessionTimeout.Should().BeNull();
        options.ClientProperties.Should().BeEmpty();
        options.ConsumerProperties.Should().BeEmpty();
        options.WorkerProperties.Should().BeEmpty();
        options.PluginPaths.Should().BeEmpty();
        options.TargetProxy.Should().BeTrue();
        options.WorkerStartTimeout.Should().Be(TimeSpan.FromSeconds(60));
        options.WorkerStopTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.LogDirectory.Should().BeNull();
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public void With_Methods_ReturnNewBuilderAndLeaveOriginalUnchanged()
    {
        var original = new EmbeddedEnvironmentBuilder();

        var changed = original.WithWorkers(3).WithConsumerProperty("session.timeout.ms", "6000").WithWorkerProperty("value.converter.schemas.enable", "false")
            .WithPluginPath("/plugins").WithTargetProxy(false).WithOffsetFlushInterval(TimeSpan.FromSeconds(1)).WithWorkerSessionTimeout(TimeSpan.FromSeconds(3));

        original.Options.Workers.Should().Be(1);
        original.Options.ConsumerProperties.Should().BeEmpty();
        original.Options.TargetProxy.Should().BeTrue();
        changed.Options.Workers.Should().Be(3);
        changed.Options.ConsumerProperties.Should().Contain("session.timeout.ms", "6000");
        changed.Options.WorkerProperties.Should().Contain("value.converter.schemas.enable", "false");
        changed.Options.PluginPaths.Should().Equal("/plugins");
        changed.Options.TargetProxy.Should().BeFalse();
        changed.Options.OffsetFlushInterval.Should().Be(TimeSpan.FromSeconds(1));
        changed.Options.WorkerSessionTimeout.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void EffectiveConsumerProperties_ConsumerSessionTimeout_SetsSessionAndAThirdForHeartbeats()
    {
        var options = new EmbeddedEnvironmentBuilder().WithConsumerSessionTimeout(TimeSpan.FromSeconds(6)).Options;

        options.EffectiveConsumerProperties.Should().Equal(new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "2000" });
        new EmbeddedEnvironmentBuilder().Options.EffectiveConsumerProperties.Should().BeEmpty("without a session timeout the consumer keeps its own defaults");
    }

    [Fact]
    public void EffectiveConsumerProperties_ExplicitConsumerProperty_WinsOverTheSessionTimeout()
    {
        var options = new EmbeddedEnvironmentBuilder()
            .WithConsumerProperty("heartbeat.interval.ms", "500")
            .WithConsumerSessionTimeout(TimeSpan.FromSeconds(3))
            .Options;

        options.EffectiveConsumerProperties.Should().Contain("session.timeout.ms", "3000").And.Contain("heartbeat.interval.ms", "500");
    }

    [Fact]
    public void EnvironmentBuilder_ReferenceMatrix_GivesConsumersTheKnownAnswerSessions()
    {
        SinkIdempotency.Scenarios.ReferenceMatrix.EnvironmentBuilder().Options.EffectiveConsumerProperties
            .Should().Equal(new Dictionary<string, string> { ["session.timeout.ms"] = "3000", ["heartbeat.interval.ms"] = "1000" });
        SinkIdempotency.Scenarios.ReferenceMatrix.EnvironmentBuilder("broker:9092").Options.EffectiveConsumerProperties
            .Should().Equal(new Dictionary<string, string> { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "2000" });
    }

    [Fact]
    public void Build_TooManyWorkers_ThrowsNamingTheOption()
    {
        var build = () => new EmbeddedEnvironmentBuilder().WithWorkers(33).Build();

        build.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Workers must be between 0 and 32*");
    }

    [Fact]
    public void Build_MissingWorkerPath_ThrowsNamingThePath()
    {
        var build = () => new EmbeddedEnvironmentBuilder().WithWorkerPath("/nowhere/SinkIdempotency.Worker.dll").Build();

        build.Should().Throw<ArgumentException>().WithMessage("*WorkerPath '/nowhere/SinkIdempotency.Worker.dll' does not exist*");
    }

    [Fact]
    public async Task Capabilities_WithAndWithoutProxy_DeclareTargetFaultsOnlyWithProxy()
    {
        await using var withProxy = new EmbeddedEnvironmentBuilder().Build();
        await using var withoutProxy = new EmbeddedEnvironmentBuilder().WithTargetProxy(false).Build();

        withProxy.Capabilities.Should().HaveFlag(EnvironmentCapabilities.TargetFaultProxy).And.HaveFlag(EnvironmentCapabilities.KillWorker)
            .And.HaveFlag(EnvironmentCapabilities.AddWorker).And.HaveFlag(EnvironmentCapabilities.RestartWorker).And.HaveFlag(EnvironmentCapabilities.BrokerFaults);
        withoutProxy.Capabilities.HasFlag(EnvironmentCapabilities.TargetFaultProxy).Should().BeFalse();
        withoutProxy.MissingCapabilityReason(EnvironmentCapabilities.TargetFaultProxy | EnvironmentCapabilities.KillWorker)
            .Should().Be("The embedded environment cannot inject target network faults (TargetFaultProxy); the scenario needs it, so it is skipped rather than passed.");
        withProxy.MissingCapabilityReason(EnvironmentCapabilities.TargetFaultProxy).Should().BeNull();
    }

    [Fact]
    public async Task Broker_NotStarted_ThrowsSayingToStart()
    {
        await using var environment = new EmbeddedEnvironmentBuilder().Build();

        var read = () => environment.Broker;

        read.Should().Throw<InvalidOperationException>().WithMessage("The embedded environment is not started; call StartAsync*");
    }
}
