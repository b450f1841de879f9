using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Tests.Support;
using ApiKey = SinkIdempotency.Broker.Protocol.ApiKey;
using BrokerError = SinkIdempotency.Broker.Protocol.ErrorCode;

namespace SinkIdempotency.Broker.Tests.Faults;

/// <summary>The fault API against Confluent.Kafka consumers: the client must recover from each fault.</summary>
public sealed class FaultInjectionClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OffsetCommit_FailedOnceWithRetriableError_ClientRetriesAndCommits()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("fc", 1);
        await fx.ProduceAsync("fc", 5);
        var commits = new ConcurrentQueue<BrokerExchange>();
        using var observer = fx.Broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == ApiKey.OffsetCommit && e.Request.GroupId == "connect-x")
            {
                commits.Enqueue(e);
            }
        });
        var runner = fx.StartConsumer("connect-x", "worker-1", "fc");
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 5, Patience, "the consumer read 5 records");
        using var fault = fx.Broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = "connect-x",
            Error = BrokerError.CoordinatorLoadInProgress,
        });

        runner.Consumer.Commit([new TopicPartitionOffset("fc", 0, 5)]);

        fault.MatchCount.Should().Be(1);
        fx.Broker.GetCommittedOffset("connect-x", "fc", 0)!.Offset.Should().Be(5);
        var seen = commits.ToList();
        seen.Should().HaveCount(2);
        seen[0].Fault.Should().BeSameAs(fault);
        seen[0].Offsets.Should().ContainSingle().Which.Should().Be(new BrokerPartitionOffset("fc", 0, 5, string.Empty, BrokerError.CoordinatorLoadInProgress));
        seen[1].Fault.Should().BeNull();
        seen[1].ErrorCode.Should().Be(BrokerError.None);
        seen[1].Offsets.Should().ContainSingle().Which.Error.Should().Be(BrokerError.None);
        var group = fx.Broker.GetGroup("connect-x")!;
        seen[1].Request.GenerationId.Should().Be(group.GenerationId);
        seen[1].Request.MemberId.Should().Be(group.Members.Single().MemberId);
        seen[1].Request.ClientId.Should().Be("worker-1");
        await runner.CloseAsync();
    }

    [Fact]
    public async Task JoinGroup_Held_ConsumerWaitsUntilReleasedThenConsumes()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("held", 1);
        await fx.ProduceAsync("held", 3);
        var fault = fx.Broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.JoinGroup, GroupId = "held-group", Action = BrokerFaultAction.Hold });

        var runner = fx.StartConsumer("held-group", "held-client", "held");
        await fault.WaitForMatchesAsync(1, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        runner.Assignment.Should().BeEmpty("the JoinGroup is held");
        runner.Consumed.Should().BeEmpty();
        fx.Broker.GetGroup("held-group").Should().BeNull("the held request has not reached the coordinator");

        fault.Release();

        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 3, Patience, "the consumer joined and read 3 records");
        fault.MatchCount.Should().Be(1);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task Heartbeat_ConnectionDropped_ConsumerReconnectsAndKeepsConsuming()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("drop", 1);
        await fx.ProduceAsync("drop", 2);
        var runner = fx.StartConsumer("drop-group", "drop-client", "drop");
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 2, Patience, "the consumer read 2 records");
        var fault = fx.Broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.Heartbeat, GroupId = "drop-group", Action = BrokerFaultAction.DropConnection });

        await fault.WaitForMatchesAsync(1, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);
        await fx.ProduceAsync("drop", 2);

        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 4, Patience, "the consumer read the records produced after the drop");
        runner.Failure.Should().BeNull();
        fault.MatchCount.Should().Be(1);
        runner.Consumed.Select(r => r.Offset.Value).Should().Equal(0, 1, 2, 3);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task CloseClientConnections_ClosesOnlyThatClient_WhichReconnects()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("cc", 2);
        var requests = new ConcurrentQueue<(string? Client, long Connection, bool Dropped)>();
        using var observer = fx.Broker.ObserveRequests(e => requests.Enqueue((e.Request.ClientId, e.Request.ConnectionId, e.ConnectionDropped)));
        var a = fx.StartConsumer("cc-group", "cc-a", "cc");
        var b = fx.StartConsumer("cc-group", "cc-b", "cc");
        await Eventually.HoldsAsync(() => a.Assignment.Count == 1 && b.Assignment.Count == 1, Patience, "each consumer owns one partition");
        var seenBefore = requests.Count;
        var aBefore = requests.Where(r => r.Client == "cc-a").Select(r => r.Connection).ToHashSet();
        var bBefore = requests.Where(r => r.Client == "cc-b").Select(r => r.Connection).ToHashSet();

        // librdkafka opens connections lazily (enable.sparse.connections), so a consumer has one or more.
        var closed = fx.Broker.CloseClientConnections("cc-a");

        closed.Should().BeGreaterThan(0);
        await fx.ProduceAsync("cc", 4, partitions: 2);
        await Eventually.HoldsAsync(() => a.Consumed.Count >= 2 && b.Consumed.Count >= 2, Patience, "both consumers keep consuming");
        a.Failure.Should().BeNull();
        var after = requests.Skip(seenBefore).Where(r => !r.Dropped).ToList();
        after.Where(r => r.Client == "cc-a").Should().Contain(r => !aBefore.Contains(r.Connection), "cc-a reconnected on new connections");
        after.Where(r => r.Client == "cc-b").Should().Contain(r => bBefore.Contains(r.Connection), "cc-b's connections were left open");
        await a.CloseAsync();
        await b.CloseAsync();
    }

    [Fact]
    public async Task ExpireGroupMember_RemovesMemberNow_AndTheConsumerRejoins()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("exp", 1);
        var runner = fx.StartConsumer("exp-group", "exp-client", "exp");
        await Eventually.HoldsAsync(() => runner.Assignment.Count == 1 && fx.Broker.GetGroup("exp-group")?.State == BrokerGroupState.Stable, Patience, "the consumer owns the partition");
        var before = fx.Broker.GetGroup("exp-group")!;

        fx.Broker.ExpireGroupMembersOf("exp-group", "exp-client").Should().Be(1);

        await Eventually.HoldsAsync(
            () => fx.Broker.GetGroup("exp-group") is { State: BrokerGroupState.Stable } g && g.Members.Count == 1 && g.Members[0].MemberId != before.Members[0].MemberId,
            Patience,
            "the consumer rejoined with a new member id");
        await Eventually.HoldsAsync(() => runner.Assignment.Count == 1, Patience, "the consumer owns the partition again");
        runner.Events.Should().Contain(e => e.StartsWith("lost:", StringComparison.Ordinal) || e.StartsWith("revoked:", StringComparison.Ordinal));
        fx.Broker.GetGroup("exp-group")!.GenerationId.Should().BeGreaterThan(before.GenerationId);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task Delay_OffsetFetch_DelaysTheAnswerByTheConfiguredTime()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("slow", 1);
        await fx.ProduceAsync("slow", 1);
        var fetches = new ConcurrentQueue<BrokerExchange>();
        using var observer = fx.Broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == ApiKey.OffsetFetch)
            {
                fetches.Enqueue(e);
            }
        });
        var fault = fx.Broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.OffsetFetch, Action = BrokerFaultAction.Delay, Delay = TimeSpan.FromSeconds(2) });
        var started = Stopwatch.StartNew();

        var runner = fx.StartConsumer("slow-group", "slow-client", "slow");
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 1, Patience, "the consumer read the record");

        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "an injected delay never ends early");
        fault.MatchCount.Should().Be(1);
        fetches.Should().Contain(e => e.Fault == fault && e.ErrorCode == BrokerError.None);
        await runner.CloseAsync();
    }
}
