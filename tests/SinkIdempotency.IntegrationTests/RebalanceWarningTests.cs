using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Xunit;
using BrokerApiKey = SinkIdempotency.Broker.Protocol.ApiKey;
using BrokerError = SinkIdempotency.Broker.Protocol.ErrorCode;

namespace SinkIdempotency.IntegrationTests;

/// <summary>
/// Checks that a rebalance of the sink's consumer group nobody asked for is a warning in the result and the evidence,
/// and that the rebalances the harness causes (deploying, adding a worker, stopping and resuming the connector) are not. The unplanned one is
/// made by the embedded broker answering one heartbeat with UNKNOWN_MEMBER_ID, as a coordinator does to a member it
/// evicted: the consumer joins again under a new member id.
/// </summary>
public sealed class RebalanceWarningTests(EmbeddedEnvironmentFixture fixture) : IClassFixture<EmbeddedEnvironmentFixture>
{
    [Fact]
    public async Task Run_MemberEvictedWithoutAHarnessAction_WarnsOfAnUnplannedRebalance()
    {
        var result = await fixture.RunAsync(Scenario("rebalance-warning/unannounced", announce: false));

        result.Should().BeGreen();
        result.Warnings.Should().NotBeEmpty().And.OnlyContain(w => w.Contains("rebalanced", StringComparison.Ordinal) && w.Contains("no harness action", StringComparison.Ordinal));
        result.Evidence.OfType<RebalanceEvidence>().Should().Contain(r => !r.Planned && r.Cause == null);
        result.Summarize().Should().Contain("warning: The sink's consumer group");
    }

    [Fact]
    public async Task Run_SameEvictionAnnouncedAsAFaultAction_IsPlannedAndWarnsOfNothing()
    {
        var result = await fixture.RunAsync(Scenario("rebalance-warning/announced", announce: true));

        result.Should().BeGreen();
        result.Warnings.Should().BeEmpty();
        result.Evidence.OfType<RebalanceEvidence>().Should().Contain(r => r.Planned && r.Cause == "fault evict-member");
    }

    [Fact]
    public async Task Run_WorkerJoining_MovesTheGroupAsPlanned()
    {
        var result = await fixture.RunAsync(ReferenceMatrix.Make("rebalance-warning/joins", ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new Rebalance()));

        result.Should().HaveInjectedTheFault();
        result.Warnings.Should().BeEmpty("adding a worker is the harness's own doing");
        // The join is announced by the fault (admit-worker for a standby worker, add-worker for one started now, then
        // rebalance-landed); the sampler attributes the group's change to whichever of them it saw last.
        result.Evidence.OfType<RebalanceEvidence>().Should().Contain(r => r.Planned && r.Cause != null && r.Cause.StartsWith("fault ", StringComparison.Ordinal));
        result.Evidence.OfType<RebalanceEvidence>().Should().OnlyContain(r => r.Planned);
    }

    [Fact]
    public async Task Run_ConnectorStoppedAndResumed_MovesTheGroupAsPlanned()
    {
        var result = await fixture.RunAsync(ReferenceMatrix.Scenarios.Single(s => s.Name == "replay/postgres-upsert").Scenario);

        result.Should().HaveInjectedTheFault();
        result.Warnings.Should().BeEmpty("stopping and resuming the connector is the harness's own doing");
        result.Evidence.OfType<RebalanceEvidence>().Should().Contain(r => r.Planned && r.Cause != "deploy");
    }

    private static Scenario Scenario(string name, bool announce) =>
        ReferenceMatrix.Make(name, ReferenceMatrix.UpsertByCoordinates, DeclaredSemantics.ExactlyOnceEffect, new EvictMember(announce));

    /// <summary>Makes the broker answer the sink consumer's next heartbeat with UNKNOWN_MEMBER_ID once the target holds rows; records it as an action only when announced.</summary>
    private sealed class EvictMember(bool announce) : Fault
    {
        public override string Name => "evict-member";

        public override EnvironmentCapabilities RequiredCapabilities => EnvironmentCapabilities.None;

        protected override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
        {
            // Evict only once the group has settled after the deployment, so the deployment cannot explain the change.
            if (!await context.WaitUntilAsync(async ct => await context.CountTargetRowsAsync(ct) >= 1000, TimeSpan.FromSeconds(60), cancellationToken)
                || !await GroupUnchangedAsync(context, TimeSpan.FromSeconds(3), cancellationToken))
            {
                return new FaultOutcome(false, "The target never held every record, or the group never settled.");
            }

            var broker = ((EmbeddedEnvironment)context.Environment.Environment!).Broker;
            if (announce)
            {
                context.Record("evict-member", $"The broker answers the next heartbeat of {context.Names.GroupId} with UNKNOWN_MEMBER_ID.");
            }

            var fault = broker.InjectFault(new BrokerFaultOptions { ApiKey = BrokerApiKey.Heartbeat, GroupId = context.Names.GroupId, Error = BrokerError.UnknownMemberId });
            var evicted = await context.WaitUntilAsync(_ => Task.FromResult(fault.MatchCount > 0), TimeSpan.FromSeconds(30), cancellationToken);
            return new FaultOutcome(evicted, evicted ? "A heartbeat was answered with UNKNOWN_MEMBER_ID." : "No heartbeat reached the broker.");
        }

        private static async Task<bool> GroupUnchangedAsync(FaultContext context, TimeSpan period, CancellationToken cancellationToken)
        {
            string? last = null;
            var since = context.Now;
            return await context.WaitUntilAsync(
                async ct =>
                {
                    var members = await context.Environment.DescribeGroupMembersAsync(context.Names.GroupId, ct) ?? [];
                    var current = string.Join(";", members.Select(m => m.MemberId + ":" + string.Join(",", m.Partitions)));
                    if (current != last || members.Count == 0)
                    {
                        (last, since) = (current, context.Now);
                    }

                    return context.Now - since >= period;
                },
                TimeSpan.FromSeconds(60),
                cancellationToken);
        }
    }
}
