using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Faults;

public sealed class FaultOptionsTests
{
    [Fact]
    public void CrashAfterTargetWriteOptions_Defaults_AreDocumentedValues()
    {
        var options = new CrashAfterTargetWriteOptions();

        options.MinimumRowsAhead.Should().Be(1);
        options.Task.Should().Be(0);
        options.TriggerTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.RestartWorker.Should().BeTrue();
    }

    [Fact]
    public void CrashAfterOffsetCommitOptions_Defaults_AreDocumentedValues()
    {
        var options = new CrashAfterOffsetCommitOptions();

        options.MinimumRecordsBehind.Should().Be(1);
        options.Task.Should().Be(0);
        options.TriggerTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.RestartWorker.Should().BeTrue();
        new CrashAfterOffsetCommit().Name.Should().Be("crash-after-offset-commit");
        new CrashAfterOffsetCommit().RequiredCapabilities.Should().Be(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.RestartWorker);
        new CrashAfterOffsetCommit(new CrashAfterOffsetCommitOptions { RestartWorker = false }).RequiredCapabilities.Should().Be(EnvironmentCapabilities.KillWorker);
    }

    [Fact]
    public void TargetTimeoutOptions_Defaults_AreDocumentedValues()
    {
        var options = new TargetTimeoutOptions();

        options.AfterTargetRows.Should().Be(1);
        options.Mode.Should().Be(TargetTimeoutMode.CommitResponse);
        options.Duration.Should().Be(TimeSpan.FromSeconds(5));
        options.TriggerTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void RebalanceOptions_Defaults_AreDocumentedValues()
    {
        var options = new RebalanceOptions();

        options.Kind.Should().Be(RebalanceKind.WorkerJoins);
        options.AtProgress.Should().Be(0.3);
        options.KillWhileTargetAhead.Should().BeFalse();
        options.TasksMax.Should().Be(2);
        options.Timeout.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void SchemaBreakOptions_Defaults_AreDocumentedValues()
    {
        var options = new SchemaBreakOptions();

        options.Kind.Should().Be(PoisonKind.TypeChange);
        options.Position.Should().Be(0.5);
        options.Count.Should().Be(1);
    }

    [Fact]
    public void ReplayOptions_Defaults_AreDocumentedValues()
    {
        var options = new ReplayOptions();

        options.Method.Should().Be(ReplayResetMethod.Automatic);
        options.RewindBy.Should().BeNull();
        options.Timeout.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Faults_WithoutOptions_UseTheDefaults()
    {
        new CrashAfterTargetWrite().Options.Should().Be(new CrashAfterTargetWriteOptions());
        new TargetTimeout().Options.Should().Be(new TargetTimeoutOptions());
        new Rebalance().Options.Should().Be(new RebalanceOptions());
        new SchemaBreak().Options.Should().Be(new SchemaBreakOptions());
        new Replay().Options.Should().Be(new ReplayOptions());
    }

    [Fact]
    public void Faults_Names_AreTheScorecardNames()
    {
        new Fault[] { new CrashAfterTargetWrite(), new TargetTimeout(), new Rebalance(), new SchemaBreak(), new Replay() }
            .Select(f => f.Name)
            .Should().Equal("crash-after-target-write", "target-timeout", "rebalance", "schema-break", "replay");
    }

    [Fact]
    public void Constructors_InvalidOptions_Throw()
    {
        FluentActions.Invoking(() => new CrashAfterTargetWrite(new CrashAfterTargetWriteOptions { MinimumRowsAhead = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinimumRowsAhead");
        FluentActions.Invoking(() => new OffsetCommitTimeout(new OffsetCommitTimeoutOptions { FailedCommits = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("FailedCommits");
        FluentActions.Invoking(() => new OffsetCommitTimeout(new OffsetCommitTimeoutOptions { TriggerTimeout = TimeSpan.Zero })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TriggerTimeout");
        FluentActions.Invoking(() => new CrashAfterOffsetCommit(new CrashAfterOffsetCommitOptions { MinimumRecordsBehind = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MinimumRecordsBehind");
        FluentActions.Invoking(() => new CrashAfterOffsetCommit(new CrashAfterOffsetCommitOptions { TriggerTimeout = TimeSpan.Zero })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TriggerTimeout");
        FluentActions.Invoking(() => new TargetTimeout(new TargetTimeoutOptions { Duration = TimeSpan.Zero })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Duration");
        FluentActions.Invoking(() => new Rebalance(new RebalanceOptions { AtProgress = 1.5 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AtProgress");
        FluentActions.Invoking(() => new SchemaBreak(new SchemaBreakOptions { Position = 1 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Position");
        FluentActions.Invoking(() => new Replay(new ReplayOptions { RewindBy = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RewindBy");
        FluentActions.Invoking(() => new OffsetCommitRefused(new OffsetCommitRefusedOptions { Duration = TimeSpan.Zero })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Duration");
        FluentActions.Invoking(() => new OffsetCommitRefused(new OffsetCommitRefusedOptions { Error = (OffsetCommitRefusal)9 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Error");
        FluentActions.Invoking(() => new FetchStall(new FetchStallOptions { Duration = TimeSpan.Zero })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Duration");
        FluentActions.Invoking(() => new FetchStall(new FetchStallOptions { AfterTargetRows = -1 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("AfterTargetRows");
    }

    [Fact]
    public void BrokerSideOptions_Defaults_AreDocumented()
    {
        new OffsetCommitRefusedOptions().Should().Be(new OffsetCommitRefusedOptions
        {
            AfterTargetRows = 0,
            Error = OffsetCommitRefusal.CoordinatorLoadInProgress,
            Duration = TimeSpan.FromSeconds(3),
            TriggerTimeout = TimeSpan.FromSeconds(30),
        });
        new FetchStallOptions().Should().Be(new FetchStallOptions { AfterTargetRows = 100, Duration = TimeSpan.FromSeconds(5), TriggerTimeout = TimeSpan.FromSeconds(30) });
        new OffsetCommitRefused().Options.Should().Be(new OffsetCommitRefusedOptions());
        new FetchStall().Options.Should().Be(new FetchStallOptions());
    }

    [Fact]
    public void RequiredCapabilities_FollowTheOptions()
    {
        new CrashAfterTargetWrite().RequiredCapabilities.Should().Be(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.RestartWorker);
        new CrashAfterTargetWrite(new CrashAfterTargetWriteOptions { RestartWorker = false }).RequiredCapabilities.Should().Be(EnvironmentCapabilities.KillWorker);
        new TargetTimeout().RequiredCapabilities.Should().Be(EnvironmentCapabilities.TargetFaultProxy);
        new Rebalance().RequiredCapabilities.Should().Be(EnvironmentCapabilities.AddWorker);
        new Rebalance(new RebalanceOptions { Kind = RebalanceKind.WorkerDies }).RequiredCapabilities.Should().Be(EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker);
        new SchemaBreak().RequiredCapabilities.Should().Be(EnvironmentCapabilities.None);
        new Replay(new ReplayOptions { Method = ReplayResetMethod.ConsumerGroup }).RequiredCapabilities.Should().Be(EnvironmentCapabilities.ConsumerGroupReset);
    }

    [Fact]
    public void MissingCapabilityReason_ReplayAutomatic_AcceptsEitherResetPath()
    {
        var replay = new Replay();

        replay.MissingCapabilityReason(EnvironmentCapabilities.OffsetsApi).Should().BeNull();
        replay.MissingCapabilityReason(EnvironmentCapabilities.ConsumerGroupReset).Should().BeNull();
        replay.MissingCapabilityReason(EnvironmentCapabilities.KillWorker).Should().Be("Replay needs the offsets API or a consumer group reset, and the environment has neither.");
    }

    [Fact]
    public void PoisonRecords_SchemaBreak_PlacesConsecutiveRecordsAtThePosition()
    {
        var poison = new SchemaBreak(new SchemaBreakOptions { Position = 0.25, Count = 3, Kind = PoisonKind.MissingEnvelope })
            .PoisonRecords(new ScenarioWorkload { Records = 100 });

        poison.Should().Equal(new PoisonRecord(25, PoisonKind.MissingEnvelope), new PoisonRecord(26, PoisonKind.MissingEnvelope), new PoisonRecord(27, PoisonKind.MissingEnvelope));
    }

    [Fact]
    public void ConfigureConnector_Rebalance_SetsTasksMaxOnlyWhenAbsent()
    {
        var absent = new Dictionary<string, string>();
        var present = new Dictionary<string, string> { ["tasks.max"] = "4" };

        new Rebalance().ConfigureConnector(absent, new ScenarioWorkload());
        new Rebalance().ConfigureConnector(present, new ScenarioWorkload());

        absent["tasks.max"].Should().Be("2");
        present["tasks.max"].Should().Be("4");
    }
}
