using System.Diagnostics;
using Confluent.Kafka;
using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Tests.Support;

namespace SinkIdempotency.Broker.Tests.Groups;

/// <summary>Consumer groups driven by Confluent.Kafka 2.16 (librdkafka) with the classic protocol.</summary>
public sealed class ConsumerGroupClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Subscribe_CommitCloseRestart_ResumesFromCommittedOffset()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("resume", 1);
        await fx.ProduceAsync("resume", 10);

        var first = fx.StartConsumer("resume-group", "first", "resume");
        await Eventually.HoldsAsync(() => first.Consumed.Count >= 4, Patience, "the first consumer read 4 records");
        var fourth = first.Consumed[3];
        first.Consumer.Commit([new TopicPartitionOffset(fourth.TopicPartition, fourth.Offset + 1, leaderEpoch: null)]);
        await first.CloseAsync();

        fx.Broker.GetCommittedOffset("resume-group", "resume", 0)!.Offset.Should().Be(4);
        fx.Broker.GetGroup("resume-group")!.State.Should().Be(BrokerGroupState.Empty);

        var second = fx.StartConsumer("resume-group", "second", "resume");
        await Eventually.HoldsAsync(() => second.Consumed.Count >= 6, Patience, "the second consumer read the rest");
        second.Consumed.Select(r => r.Offset.Value).Should().Equal(4, 5, 6, 7, 8, 9);
        second.Failure.Should().BeNull();
    }

    [Fact]
    public async Task Commit_WithMetadata_RoundTripsThroughOffsetFetch()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("meta", 1);
        await fx.ProduceAsync("meta", 3);
        var runner = fx.StartConsumer("meta-group", "m", "meta");
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 3, Patience, "the consumer read 3 records");

        runner.Consumer.Commit([new TopicPartitionOffset(new TopicPartition("meta", 0), new Offset(3), leaderEpoch: null)]);
        var committed = runner.Consumer.Committed([new TopicPartition("meta", 0)], TimeSpan.FromSeconds(10));

        committed.Should().ContainSingle().Which.Offset.Value.Should().Be(3);
        fx.Broker.GetCommittedOffset("meta-group", "meta", 0)!.Offset.Should().Be(3);
        await runner.CloseAsync();
    }

    [Theory]
    [InlineData(PartitionAssignmentStrategy.Range)]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky)]
    public async Task ThreeConsumers_SharePartitions_AndCleanLeaveRebalancesTheRest(PartitionAssignmentStrategy strategy)
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("shared", 6);
        var runners = new[]
        {
            fx.StartConsumer("share", "c1", "shared", strategy),
            fx.StartConsumer("share", "c2", "shared", strategy),
            fx.StartConsumer("share", "c3", "shared", strategy),
        };

        await Eventually.HoldsAsync(
            () => runners.All(r => r.Assignment.Count == 2) && Union(runners) == 6 && fx.Broker.GetGroup("share")?.State == BrokerGroupState.Stable,
            Patience,
            "three consumers own two partitions each",
            () => Describe(runners));
        var group = fx.Broker.GetGroup("share")!;
        group.Members.Should().HaveCount(3);
        group.ProtocolName.Should().Be(strategy == PartitionAssignmentStrategy.Range ? "range" : "cooperative-sticky");
        var generation = group.GenerationId;

        await runners[0].CloseAsync();

        var rest = runners[1..];
        await Eventually.HoldsAsync(
            () => rest.All(r => r.Assignment.Count == 3) && Union(rest) == 6 && fx.Broker.GetGroup("share")?.State == BrokerGroupState.Stable,
            Patience,
            "the two remaining consumers own three partitions each",
            () => Describe(rest));
        fx.Broker.GetGroup("share")!.Members.Should().HaveCount(2);
        fx.Broker.GetGroup("share")!.GenerationId.Should().BeGreaterThan(generation);
    }

    [Fact]
    public async Task VanishedConsumer_PartitionsMoveOnlyAfterSessionTimeout()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("vanish", 6);
        var runners = new[]
        {
            fx.StartConsumer("vanish-group", "v1", "vanish"),
            fx.StartConsumer("vanish-group", "v2", "vanish"),
            fx.StartConsumer("vanish-group", "v3", "vanish"),
        };
        await Eventually.HoldsAsync(
            () => runners.All(r => r.Assignment.Count == 2) && fx.Broker.GetGroup("vanish-group")?.State == BrokerGroupState.Stable,
            Patience,
            "three consumers own two partitions each",
            () => Describe(runners));

        // Dispose without Close: no LeaveGroup, the member just stops heartbeating.
        await runners[2].AbandonAsync();
        var vanishedAt = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        fx.Broker.GetGroup("vanish-group")!.Members.Should().Contain(m => m.ClientId == "v3", "the session timeout (6 s) has not passed yet");

        var rest = runners[..2];
        await Eventually.HoldsAsync(
            () => rest.All(r => r.Assignment.Count == 3) && fx.Broker.GetGroup("vanish-group")?.State == BrokerGroupState.Stable,
            Patience,
            "the remaining consumers took over the vanished consumer's partitions",
            () => Describe(rest));
        vanishedAt.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(5));
        fx.Broker.GetGroup("vanish-group")!.Members.Select(m => m.ClientId).Should().BeEquivalentTo(["v1", "v2"]);
    }

    [Fact]
    public async Task EagerRebalance_RevokesEverythingBeforeNewAssignment()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("eager", 4);
        var a = fx.StartConsumer("eager-group", "a", "eager");
        await Eventually.HoldsAsync(() => a.Assignment.Count == 4, Patience, "a owns all partitions", () => Describe([a]));

        var b = fx.StartConsumer("eager-group", "b", "eager");
        await Eventually.HoldsAsync(() => a.Assignment.Count == 2 && b.Assignment.Count == 2, Patience, "a and b own two each", () => Describe([a, b]));

        a.Events.Should().Equal("assigned:0,1,2,3", "revoked:0,1,2,3", "assigned:0,1");
        b.Events.Should().Equal("assigned:2,3");
    }

    [Fact]
    public async Task CooperativeRebalance_RevokesOnlyMovedPartitions()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("coop", 4);
        var a = fx.StartConsumer("coop-group", "a", "coop", PartitionAssignmentStrategy.CooperativeSticky);
        await Eventually.HoldsAsync(() => a.Assignment.Count == 4, Patience, "a owns all partitions", () => Describe([a]));

        var b = fx.StartConsumer("coop-group", "b", "coop", PartitionAssignmentStrategy.CooperativeSticky);
        await Eventually.HoldsAsync(() => a.Assignment.Count == 2 && b.Assignment.Count == 2, Patience, "a and b own two each", () => Describe([a, b]));

        a.Events[0].Should().Be("assigned:0,1,2,3");
        a.Events.Where(e => e.StartsWith("revoked:", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Be("revoked:" + ConsumerRunner.Format(b.Assignment), "only the partitions that moved to b are revoked");
        b.Events.Where(e => e.StartsWith("assigned:", StringComparison.Ordinal) && e != "assigned:").Should().ContainSingle();
        a.Events.Should().NotContain(e => e.StartsWith("lost:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaticMember_RestartWithSameInstanceId_ReplacesTheOldMemberWithoutWaitingForItsSession()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("static", 2);
        await fx.ProduceAsync("static", 2, partitions: 2);
        var config = fx.ConsumerConfig("static-group", "static-client");
        config.GroupInstanceId = "instance-1";
        config.SessionTimeoutMs = 30_000;
        var first = new ConsumerRunner(config, "static");
        await Eventually.HoldsAsync(() => first.Consumed.Count >= 2, Patience, "the static member read both records");
        var firstMember = fx.Broker.GetGroup("static-group")!.Members.Single();
        firstMember.GroupInstanceId.Should().Be("instance-1");
        await first.CloseAsync();
        first.Dispose();
        fx.Broker.GetGroup("static-group")!.Members.Should().ContainSingle("a static member does not send LeaveGroup on close");

        using var second = new ConsumerRunner(config, "static");
        await Eventually.HoldsAsync(() => second.Assignment.Count == 2, TimeSpan.FromSeconds(20), "the restarted instance owns both partitions well before the 30 s session timeout");

        var member = fx.Broker.GetGroup("static-group")!.Members.Should().ContainSingle().Subject;
        member.GroupInstanceId.Should().Be("instance-1");
        member.MemberId.Should().NotBe(firstMember.MemberId);
        await second.CloseAsync();
    }

    private static int Union(IEnumerable<ConsumerRunner> runners) =>
        runners.SelectMany(r => r.Assignment).Distinct().Count();

    private static string Describe(IEnumerable<ConsumerRunner> runners) =>
        string.Join("; ", runners.Select(r => $"{r.Config.ClientId}: [{ConsumerRunner.Format(r.Assignment)}] events {string.Join(" ", r.Events)} failure {r.Failure?.Message}"));
}
