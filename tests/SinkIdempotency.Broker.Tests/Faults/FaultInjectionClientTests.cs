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

    [Fact]
    public async Task OffsetCommit_AppliedThenAnsweredRequestTimedOut_BrokerHasTheOffsetBeforeTheClientHearsAndTheRetrySucceeds()
    {
        await using var fx = await BrokerFixture.StartAsync();
        var (runner, commits) = await StartCommittingConsumerAsync(fx, "ac");
        using var fault = fx.Broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = "ac-group",
            Timing = BrokerFaultTiming.AfterHandling,
            Error = BrokerError.RequestTimedOut,
        });

        runner.Consumer.Commit([new TopicPartitionOffset("ac", 0, 5)]);

        var seen = commits.ToList();
        seen.Should().HaveCount(2, "librdkafka retries a commit answered REQUEST_TIMED_OUT");
        seen[0].Exchange.Should().Match<BrokerExchange>(e => e.Fault == fault && e.Handled && e.ErrorCode == BrokerError.RequestTimedOut);
        seen[0].StoredWhenAnswered.Should().Be(5, "the broker stored the offset before the client learnt the commit failed");
        seen[1].Exchange.Should().Match<BrokerExchange>(e => e.Fault == null && e.ErrorCode == BrokerError.None);
        fx.Broker.GetCommittedOffset("ac-group", "ac", 0)!.Offset.Should().Be(5);
        await runner.CloseAsync();
    }

    /// <remarks>
    /// What the client does next is librdkafka's business: it marks the coordinator dead and retries the commit;
    /// in our runs its reconnects churned ("Closing connection due to nodename change") until the session timed out
    /// and the retry was refused with UNKNOWN_MEMBER_ID. The test pins only what the broker did.
    /// </remarks>
    [Fact]
    public async Task OffsetCommit_AppliedThenConnectionDropped_BrokerKeepsTheOffsetTheClientNeverHeardAbout()
    {
        await using var fx = await BrokerFixture.StartAsync();
        var (runner, commits) = await StartCommittingConsumerAsync(fx, "dc");
        using var fault = fx.Broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = "dc-group",
            Timing = BrokerFaultTiming.AfterHandling,
            Action = BrokerFaultAction.DropConnection,
        });

        try
        {
            runner.Consumer.Commit([new TopicPartitionOffset("dc", 0, 5)]);
        }
        catch (KafkaException)
        {
        }

        var first = commits.First();
        first.Exchange.Should().Match<BrokerExchange>(e => e.Fault == fault && e.Handled && e.ConnectionDropped && e.ErrorCode == null);
        first.StoredWhenAnswered.Should().Be(5);
        fx.Broker.GetCommittedOffset("dc-group", "dc", 0)!.Offset.Should().Be(5);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task OffsetCommit_AppliedThenAnswerHeldPastTheClientTimeout_ClientFailsAlthoughTheBrokerStoredIt()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("ht", 1);
        await fx.ProduceAsync("ht", 4);
        var config = fx.ConsumerConfig("ht-group", "ht-client");
        config.SocketTimeoutMs = 2000;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("ht");
        var deadline = DateTime.UtcNow + Patience;
        var consumed = 0;
        while (consumed < 4 && DateTime.UtcNow < deadline)
        {
            consumed += consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } ? 1 : 0;
        }

        consumed.Should().Be(4);
        var fault = fx.Broker.InjectFault(new BrokerFaultOptions
        {
            ApiKey = ApiKey.OffsetCommit,
            GroupId = "ht-group",
            Timing = BrokerFaultTiming.AfterHandling,
            Action = BrokerFaultAction.Hold,
            Times = 0,
        });

        var commit = () => consumer.Commit([new TopicPartitionOffset("ht", 0, 4)]);

        commit.Should().Throw<KafkaException>("every answer is held past socket.timeout.ms");
        fx.Broker.GetCommittedOffset("ht-group", "ht", 0)!.Offset.Should().Be(4, "each held commit was applied before its answer was held");
        fault.MatchCount.Should().BeGreaterThanOrEqualTo(1);
        fault.Release();
        consumer.Close();
    }

    [Fact]
    public async Task Fetch_HeldForOneClient_ThatConsumerStallsUntilReleasedWhileAnotherKeepsReading()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("stall", 1);
        await fx.ProduceAsync("stall", 2);
        var stalled = fx.StartConsumer("stall-a", "stall-client", "stall");
        var other = fx.StartConsumer("stall-b", "other-client", "stall");
        await Eventually.HoldsAsync(() => stalled.Consumed.Count >= 2 && other.Consumed.Count >= 2, Patience, "both consumers read the first 2 records");
        var fault = fx.Broker.InjectFault(new BrokerFaultOptions { ApiKey = ApiKey.Fetch, ClientId = "stall-client", Action = BrokerFaultAction.Hold, Times = 0 });
        await fault.WaitForMatchesAsync(1, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

        await fx.ProduceAsync("stall", 3);
        await Eventually.HoldsAsync(() => other.Consumed.Count >= 5, Patience, "the consumer whose fetches are not held reads the new records");
        stalled.Consumed.Should().HaveCount(2, "its fetch is held, so the new records cannot reach it");

        fault.Release();

        await Eventually.HoldsAsync(() => stalled.Consumed.Count >= 5, Patience, "the stalled consumer catches up once released");
        stalled.Consumed.Select(r => r.Offset.Value).Should().Equal(0, 1, 2, 3, 4);
        stalled.Failure.Should().BeNull();
        await stalled.CloseAsync();
        await other.CloseAsync();
    }

    /// <summary>Starts a consumer of a fresh 5-record topic and records every OffsetCommit exchange with the offset the broker held when it finished.</summary>
    private static async Task<(ConsumerRunner Runner, ConcurrentQueue<(BrokerExchange Exchange, long? StoredWhenAnswered)> Commits)> StartCommittingConsumerAsync(BrokerFixture fx, string name)
    {
        fx.Broker.CreateTopic(name, 1);
        await fx.ProduceAsync(name, 5);
        var commits = new ConcurrentQueue<(BrokerExchange Exchange, long? StoredWhenAnswered)>();
        fx.Broker.ObserveRequests(e =>
        {
            if (e.Request.ApiKey == ApiKey.OffsetCommit)
            {
                commits.Enqueue((e, fx.Broker.GetCommittedOffset(name + "-group", name, 0)?.Offset));
            }
        });
        var runner = fx.StartConsumer(name + "-group", name + "-client", name);
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 5, Patience, "the consumer read 5 records");
        return (runner, commits);
    }
}
