using System.Text;
using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Tests.Groups;

public sealed class ConsumerGroupTests
{
    [Fact]
    public async Task Join_V4WithoutMemberId_AnswersMemberIdRequiredWithNewId()
    {
        var kit = new GroupTestKit();

        var first = await kit.Join(version: 4, clientId: "rdkafka");

        first.ErrorCode.Should().Be(ErrorCode.MemberIdRequired);
        first.MemberId.Should().StartWith("rdkafka-");
        kit.Snapshot.Members.Should().BeEmpty("a KIP-394 member only becomes real when it rejoins with its id");

        var second = await kit.Join(first.MemberId, version: 4);
        second.ErrorCode.Should().Be(ErrorCode.None);
        second.MemberId.Should().Be(first.MemberId);
        second.GenerationId.Should().Be(1);
        second.Leader.Should().Be(first.MemberId);
        second.ProtocolName.Should().Be("range");
        second.Members.Should().ContainSingle().Which.MemberId.Should().Be(first.MemberId);
        kit.Snapshot.State.Should().Be(BrokerGroupState.CompletingRebalance);
    }

    [Fact]
    public async Task Join_V3WithoutMemberId_AddsMemberDirectly()
    {
        var kit = new GroupTestKit();

        var join = await kit.Join(version: 3);

        join.ErrorCode.Should().Be(ErrorCode.None);
        join.GenerationId.Should().Be(1);
    }

    [Fact]
    public async Task Sync_LeaderAssignment_ReachesParkedFollowerAndGroupTurnsStable()
    {
        var kit = new GroupTestKit();
        var leader = await kit.StableSingleMemberAsync();

        var followerJoin = kit.Join();
        followerJoin.IsCompleted.Should().BeFalse("the join barrier waits for the leader to rejoin");
        kit.Heartbeat(leader, 1).Should().Be(ErrorCode.RebalanceInProgress);
        kit.Snapshot.State.Should().Be(BrokerGroupState.PreparingRebalance);

        var leaderJoin = await kit.Join(leader);
        var follower = await followerJoin;

        leaderJoin.GenerationId.Should().Be(2);
        follower.GenerationId.Should().Be(2);
        leaderJoin.Leader.Should().Be(leader);
        follower.Leader.Should().Be(leader);
        leaderJoin.Members.Select(m => m.MemberId).Should().BeEquivalentTo([leader, follower.MemberId]);
        follower.Members.Should().BeEmpty("only the leader receives the member list");

        var followerSync = kit.Sync(follower.MemberId, 2);
        followerSync.IsCompleted.Should().BeFalse("the follower waits for the leader's SyncGroup");
        var leaderSync = await kit.Sync(leader, 2, (leader, "p0"), (follower.MemberId, "p1"));

        GroupTestKit.AssignmentText(leaderSync).Should().Be("p0");
        GroupTestKit.AssignmentText(await followerSync).Should().Be("p1");
        kit.Snapshot.State.Should().Be(BrokerGroupState.Stable);
        kit.Heartbeat(follower.MemberId, 2).Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task Heartbeat_StaleGenerationOrUnknownMember_IsRejected()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();

        kit.Heartbeat(member, 0).Should().Be(ErrorCode.IllegalGeneration);
        kit.Heartbeat("nobody", 1).Should().Be(ErrorCode.UnknownMemberId);
        kit.Heartbeat(member, 1).Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task SessionTimeout_SilentMember_IsEvictedAndGroupRebalances()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join(sessionMs: 6_000);
        var aJoin = await kit.Join(a);
        var b = await bJoin;
        await kit.Sync(a, 2, (a, "x"), (b.MemberId, "y"));
        await kit.Sync(b.MemberId, 2);
        kit.Snapshot.State.Should().Be(BrokerGroupState.Stable);

        // a heartbeats every 2 s; b stays silent.
        kit.Time.Advance(TimeSpan.FromSeconds(2));
        kit.Heartbeat(a, 2).Should().Be(ErrorCode.None);
        kit.Time.Advance(TimeSpan.FromSeconds(2));
        kit.Heartbeat(a, 2).Should().Be(ErrorCode.None);
        kit.Time.Advance(TimeSpan.FromMilliseconds(1_999));
        kit.Snapshot.Members.Should().HaveCount(2, "b's 6 s session has not expired yet");

        kit.Time.Advance(TimeSpan.FromMilliseconds(1));

        kit.Snapshot.Members.Select(m => m.MemberId).Should().Equal(a);
        kit.Snapshot.State.Should().Be(BrokerGroupState.PreparingRebalance);
        kit.Heartbeat(a, 2).Should().Be(ErrorCode.RebalanceInProgress);
        var rejoin = await kit.Join(a);
        rejoin.GenerationId.Should().Be(3);
        rejoin.Members.Should().ContainSingle();
        aJoin.GenerationId.Should().Be(2);
    }

    [Fact]
    public async Task SessionTimeout_BeforeDeadline_KeepsMember()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();

        kit.Time.Advance(TimeSpan.FromMilliseconds(9_999));

        kit.Snapshot.Members.Should().ContainSingle().Which.MemberId.Should().Be(a);
        kit.Snapshot.State.Should().Be(BrokerGroupState.Stable);
    }

    [Fact]
    public async Task RebalanceTimeout_MemberThatNeverRejoins_IsRemoved()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join(rebalanceMs: 20_000);

        // a keeps heartbeating (so the session does not expire) but never rejoins.
        for (var i = 0; i < 9; i++)
        {
            kit.Time.Advance(TimeSpan.FromSeconds(3));
            kit.Heartbeat(a, 1).Should().Be(ErrorCode.RebalanceInProgress);
            bJoin.IsCompleted.Should().BeFalse();
        }

        kit.Time.Advance(TimeSpan.FromSeconds(3));

        var b = await bJoin;
        b.ErrorCode.Should().Be(ErrorCode.None);
        b.GenerationId.Should().Be(2);
        b.Leader.Should().Be(b.MemberId);
        kit.Snapshot.Members.Select(m => m.MemberId).Should().Equal(b.MemberId);
        kit.Heartbeat(a, 1).Should().Be(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task InitialRebalanceDelay_NewMembersDuringDelay_ExtendTheWaitAndJoinTogether()
    {
        var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(3));

        var aJoin = kit.Join();
        kit.Time.Advance(TimeSpan.FromSeconds(1));
        var bJoin = kit.Join();
        kit.Time.Advance(TimeSpan.FromSeconds(2));
        aJoin.IsCompleted.Should().BeFalse("a member arrived during the delay, so the delay is extended");
        kit.Time.Advance(TimeSpan.FromSeconds(3));

        var a = await aJoin;
        var b = await bJoin;
        a.GenerationId.Should().Be(1);
        b.GenerationId.Should().Be(1);
        a.Members.Should().HaveCount(2);
    }

    [Fact]
    public async Task InitialRebalanceDelay_NoNewMember_CompletesAfterOneDelay()
    {
        var kit = new GroupTestKit(initialDelay: TimeSpan.FromSeconds(3));

        var join = kit.Join();
        kit.Time.Advance(TimeSpan.FromMilliseconds(2_999));
        join.IsCompleted.Should().BeFalse();
        kit.Time.Advance(TimeSpan.FromMilliseconds(1));

        (await join).GenerationId.Should().Be(1);
    }

    [Fact]
    public async Task InitialRebalanceDelay_Zero_CompletesFirstJoinAtOnce()
    {
        var kit = new GroupTestKit();

        var join = kit.Join();

        join.IsCompleted.Should().BeTrue();
        (await join).GenerationId.Should().Be(1);
    }

    [Fact]
    public async Task SyncTimeout_FollowerThatNeverSyncs_IsRemoved()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join(rebalanceMs: 10_000);
        await kit.Join(a, rebalanceMs: 10_000);
        var b = await bJoin;
        await kit.Sync(a, 2, (a, "x"), (b.MemberId, "y"));
        kit.Time.Advance(TimeSpan.FromSeconds(5));
        kit.Heartbeat(a, 2).Should().Be(ErrorCode.None);

        kit.Time.Advance(TimeSpan.FromSeconds(5));

        kit.Snapshot.Members.Select(m => m.MemberId).Should().Equal(a);
        kit.Snapshot.State.Should().Be(BrokerGroupState.PreparingRebalance);
    }

    [Fact]
    public async Task Leave_LastMember_LeavesGroupEmptyWithNextGeneration()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();

        kit.Leave(a).Should().Be(ErrorCode.None);

        kit.Snapshot.State.Should().Be(BrokerGroupState.Empty);
        kit.Snapshot.GenerationId.Should().Be(2);
        kit.Leave(a).Should().Be(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task Leave_OneOfTwo_TriggersRebalanceForTheOther()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join();
        await kit.Join(a);
        var b = await bJoin;
        await kit.Sync(a, 2, (a, "x"), (b.MemberId, "y"));
        await kit.Sync(b.MemberId, 2);

        kit.Leave(a).Should().Be(ErrorCode.None);

        kit.Heartbeat(b.MemberId, 2).Should().Be(ErrorCode.RebalanceInProgress);
        var rejoin = await kit.Join(b.MemberId);
        rejoin.GenerationId.Should().Be(3);
        rejoin.Leader.Should().Be(b.MemberId, "leadership moves to a remaining member");
    }

    [Fact]
    public async Task Join_SessionTimeoutOutOfRange_IsInvalidSessionTimeout()
    {
        var kit = new GroupTestKit();

        (await kit.Join(sessionMs: 5_999)).ErrorCode.Should().Be(ErrorCode.InvalidSessionTimeout);
        (await kit.Join(sessionMs: 1_800_001)).ErrorCode.Should().Be(ErrorCode.InvalidSessionTimeout);
    }

    [Fact]
    public async Task Join_NoCommonProtocol_IsInconsistentGroupProtocol()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();

        var other = await kit.Join(protocols: ["roundrobin"]);

        other.ErrorCode.Should().Be(ErrorCode.InconsistentGroupProtocol);
    }

    [Fact]
    public async Task Join_ProtocolVote_PicksTheProtocolMostMembersPreferAmongCommonOnes()
    {
        var kit = new GroupTestKit();
        var a = await kit.Join(protocols: ["range", "cooperative-sticky"]);
        a.ProtocolName.Should().Be("range");
        await kit.Sync(a.MemberId, 1, (a.MemberId, "x"));

        var bJoin = kit.Join(protocols: ["cooperative-sticky", "range"]);
        var cJoin = kit.Join(protocols: ["cooperative-sticky"]);
        var aJoin = await kit.Join(a.MemberId, protocols: ["range", "cooperative-sticky"]);

        aJoin.ProtocolName.Should().Be("cooperative-sticky");
        (await bJoin).ProtocolName.Should().Be("cooperative-sticky");
        (await cJoin).ProtocolName.Should().Be("cooperative-sticky");
    }

    [Fact]
    public async Task Join_FollowerWithSameMetadataWhileStable_GetsCurrentGenerationWithoutRebalance()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join();
        await kit.Join(a);
        var b = await bJoin;
        await kit.Sync(a, 2, (a, "x"), (b.MemberId, "y"));

        var again = await kit.Join(b.MemberId);

        again.GenerationId.Should().Be(2);
        kit.Snapshot.State.Should().Be(BrokerGroupState.Stable);
    }
}
