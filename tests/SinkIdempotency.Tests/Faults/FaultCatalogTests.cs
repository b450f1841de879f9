using SinkIdempotency.Environments;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Tests.Faults;

public sealed class FaultCatalogTests
{
    [Fact]
    public void Names_AreTheNineFailureCasesInMatrixOrder()
    {
        FaultCatalog.Names.Should().Equal("crash-after-target-write", "crash-after-offset-commit", "target-timeout", "offset-commit-timeout", "offset-commit-refused", "fetch-stall", "rebalance", "schema-break", "replay");
    }

    [Fact]
    public void Definitions_EachFactory_BuildsAFaultOfThatName()
    {
        foreach (var definition in FaultCatalog.Definitions)
        {
            definition.Reference().Name.Should().Be(definition.Name);
            definition.Read(new Settings([])).Name.Should().Be(definition.Name);
        }
    }

    [Fact]
    public void Read_NoSettings_GivesTheOptionsDefaults()
    {
        var timeout = (TargetTimeout)FaultCatalog.Find("target-timeout")!.Read(new Settings([]));

        timeout.Options.Should().BeEquivalentTo(new TargetTimeoutOptions());
    }

    [Fact]
    public void Read_Settings_ReachTheOptions()
    {
        var replay = (Replay)FaultCatalog.Find("replay")!.Read(new Settings(new() { ["method"] = "consumer-group", ["rewindBy"] = 7 }));

        replay.Options.Method.Should().Be(ReplayResetMethod.ConsumerGroup);
        replay.Options.RewindBy.Should().Be(7);
    }

    [Fact]
    public void Read_OffsetCommitTimeoutSettings_ReachTheOptions()
    {
        var fault = (OffsetCommitTimeout)FaultCatalog.Find("offset-commit-timeout")!.Read(new Settings(new() { ["failedCommits"] = 5, ["afterTargetRows"] = 40, ["restartWorker"] = false }));

        fault.Options.Should().Be(new OffsetCommitTimeoutOptions { FailedCommits = 5, AfterTargetRows = 40, RestartWorker = false });
        fault.RequiredCapabilities.Should().Be(EnvironmentCapabilities.BrokerFaults | EnvironmentCapabilities.KillWorker);
    }

    [Fact]
    public void Read_OffsetCommitRefusedSettings_ReachTheOptions()
    {
        var fault = (OffsetCommitRefused)FaultCatalog.Find("offset-commit-refused")!.Read(new Settings(new() { ["error"] = "not-coordinator", ["duration"] = TimeSpan.FromSeconds(7), ["afterTargetRows"] = 3 }));

        fault.Options.Should().Be(new OffsetCommitRefusedOptions { Error = OffsetCommitRefusal.NotCoordinator, Duration = TimeSpan.FromSeconds(7), AfterTargetRows = 3 });
        fault.RequiredCapabilities.Should().Be(EnvironmentCapabilities.BrokerFaults);
    }

    [Fact]
    public void Read_FetchStallSettings_ReachTheOptions()
    {
        var fault = (FetchStall)FaultCatalog.Find("fetch-stall")!.Read(new Settings(new() { ["duration"] = TimeSpan.FromSeconds(45), ["afterTargetRows"] = 0, ["triggerTimeout"] = TimeSpan.FromMinutes(1) }));

        fault.Options.Should().Be(new FetchStallOptions { Duration = TimeSpan.FromSeconds(45), AfterTargetRows = 0, TriggerTimeout = TimeSpan.FromMinutes(1) });
        fault.RequiredCapabilities.Should().Be(EnvironmentCapabilities.BrokerFaults);
    }

    [Fact]
    public void Find_UnknownName_ReturnsNull()
    {
        FaultCatalog.Find("crash").Should().BeNull();
    }

    [Fact]
    public void KnownAnswerMatrix_Scenarios_AreEveryCatalogFaultTimesBadAndGood()
    {
        var scenarios = ReferenceMatrix.Matrix.Scenarios;

        scenarios.Select(s => s.Scenario.Fault!.Name).Should().Equal(FaultCatalog.Names.SelectMany(n => new[] { n, n }));
        scenarios.Where(s => s.Column == ReferenceMatrix.InsertColumn).Select(s => s.MustBeRed).Should().Equal(true, false, true, true, false, false, true, true, true);
        scenarios.Should().OnlyContain(s => s.Scenario.Semantics == DeclaredSemantics.ExactlyOnceEffect);
    }

    [Fact]
    public void Validate_RebalanceOnOnePartition_IsRefusedByTheFault()
    {
        var scenario = ReferenceMatrix.Make("one-partition", ReferenceMatrix.PlainInsert, DeclaredSemantics.AtLeastOnce, new Rebalance())
            .WithWorkload(w => w with { Partitions = 1 });

        FluentActions.Invoking(scenario.Validate).Should().Throw<ArgumentException>().WithMessage("*rebalances a topic with one partition*");
        FluentActions.Invoking(() => new CrashAfterTargetWrite().Validate(scenario)).Should().NotThrow();
    }

    [Fact]
    public void NeedsTargetProxy_FollowsTheRequiredCapabilities()
    {
        new TargetTimeout().NeedsTargetProxy.Should().BeTrue();
        new CrashAfterTargetWrite().NeedsTargetProxy.Should().BeFalse();
        new ProxyFault().NeedsTargetProxy.Should().BeTrue();
    }

    private sealed class ProxyFault : Fault
    {
        public override string Name => "proxy-fault";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.TargetFaultProxy;

        protected internal override Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new FaultOutcome(true, "nothing"));
    }

    [Fact]
    public void Measurements_ReplayBeyondRetention_IsAKindButNotAMatrixColumn()
    {
        FaultCatalog.Measurements.Select(d => d.Name).Should().Equal("replay-beyond-retention");
        FaultCatalog.Names.Should().NotContain("replay-beyond-retention");
        FaultCatalog.KindNames.Should().Equal([.. FaultCatalog.Names, "replay-beyond-retention"]);
        ReferenceMatrix.Matrix.Scenarios.Should().NotContain(s => s.Scenario.Fault!.Name == "replay-beyond-retention");
    }

    [Fact]
    public void Read_ReplayBeyondRetentionSettings_AreApplied()
    {
        var definition = FaultCatalog.Find("replay-beyond-retention")!;
        var fault = (ReplayBeyondRetention)definition.Read(new Settings(new() { ["deletedShare"] = 0.25, ["rebuildTarget"] = false, ["method"] = "consumer-group" }));

        fault.Options.Should().Be(new ReplayBeyondRetentionOptions { DeletedShare = 0.25, RebuildTarget = false, Method = ReplayResetMethod.ConsumerGroup });
        definition.Reference().Name.Should().Be("replay-beyond-retention");
        fault.RequiredCapabilities.Should().Be(EnvironmentCapabilities.DeleteRecords | EnvironmentCapabilities.ConsumerGroupReset);
    }

    private sealed class Settings(Dictionary<string, object> values) : IFaultSettings
    {
        public int? Int(string key, int min, int max) => values.TryGetValue(key, out var v) ? (int)v : null;

        public double? Double(string key, double min, double max, bool maxExclusive) => values.TryGetValue(key, out var v) ? (double)v : null;

        public bool? Bool(string key) => values.TryGetValue(key, out var v) ? (bool)v : null;

        public TimeSpan? Duration(string key) => values.TryGetValue(key, out var v) ? (TimeSpan)v : null;

        public string? OneOf(string key, string what, IReadOnlyList<string> names) => values.TryGetValue(key, out var v) ? (string)v : null;
    }
}
