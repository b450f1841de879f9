using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Tests.Scenarios.Support;
using static SinkIdempotency.Tests.Scenarios.Support.ScenarioFixtures;

namespace SinkIdempotency.Tests.Faults;

/// <summary>A team's own failure case, written against the public <see cref="Fault"/> and <see cref="FaultContext"/> API only.</summary>
public sealed class CustomFaultTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_CustomFault_ActsAtItsTriggerAndItsActionsAreEvidence()
    {
        await using var environment = new SimulatedEnvironment();
        var fault = new StopAndResume(rows: 20); // upsert by key: at most 50 rows (one per key)
        var scenario = Make("custom", Upsert, DeclaredSemantics.UpsertByKey).WithFault(fault);

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Green, result.Summarize());
        result.Fault.Should().Be("stop-and-resume");
        result.FaultDetail.Should().StartWith("Stopped and resumed the connector at ");
        fault.RowsAtTrigger.Should().BeGreaterThanOrEqualTo(20);
        var actions = result.Evidence.OfType<FaultActionEvidence>().ToList();
        actions.Select(a => a.Action).Should().ContainInOrder("stop-connector", "resume-connector");
        actions.Should().OnlyContain(a => a.Fault == "stop-and-resume");
    }

    [Fact]
    public async Task RunAsync_CustomFaultThatNeverTriggers_IsRedBecauseTheRunProvesNothing()
    {
        await using var environment = new SimulatedEnvironment();
        var scenario = Make("custom-never", Upsert, DeclaredSemantics.UpsertByKey).WithFault(new StopAndResume(rows: 1_000_000, timeout: TimeSpan.FromMilliseconds(300)));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Verdict.Should().Be(Verdict.Red);
        result.Outcome.Should().Be(ScenarioOutcome.FaultNotInjected);
        result.Reasons.Should().Contain(r => r.Contains("never held 1000000 row(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CustomFaultNeedingAMissingCapability_IsSkippedWithItsName()
    {
        await using var environment = new SimulatedEnvironment(new SimulatedOptions { Capabilities = EnvironmentCapabilities.ConsumerGroupReset });
        var scenario = Make("custom-skip", Upsert, DeclaredSemantics.UpsertByKey).WithFault(new StopAndResume(rows: 1, required: EnvironmentCapabilities.KillWorker));

        var result = await new ScenarioRunner(environment, Options(_folder.Path)).RunAsync(scenario, TestContext.Current.CancellationToken);

        result.Outcome.Should().Be(ScenarioOutcome.Skipped);
        result.SkipReason.Should().StartWith("StopAndResume needs the capabilities KillWorker");
        environment.Created.Should().BeEmpty();
    }

    /// <summary>Stops the connector once the target holds some rows, then resumes it.</summary>
    private sealed class StopAndResume(long rows, TimeSpan? timeout = null, EnvironmentCapabilities required = EnvironmentCapabilities.None) : Fault
    {
        public long RowsAtTrigger { get; private set; }

        public override string Name => "stop-and-resume";

        public override EnvironmentCapabilities RequiredCapabilities => required;

        protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
        {
            var limit = timeout ?? TimeSpan.FromSeconds(20);
            var armed = await context.WaitUntilAsync(async ct => await context.CountTargetRowsAsync(ct) >= rows, limit, cancellationToken);
            if (!armed)
            {
                return new FaultOutcome(false, $"The target never held {rows} row(s).");
            }

            RowsAtTrigger = await context.CountTargetRowsAsync(cancellationToken);
            await context.Environment.StopConnectorAsync(context.Names.Connector, cancellationToken);
            context.Record("stop-connector", $"Stopped {context.Names.Connector} at {RowsAtTrigger} row(s).");
            await context.Environment.ResumeConnectorAsync(context.Names.Connector, cancellationToken);
            context.Record("resume-connector", $"Resumed {context.Names.Connector}.");
            return new FaultOutcome(true, $"Stopped and resumed the connector at {RowsAtTrigger} row(s).");
        }
    }
}
