using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Tests.Groups;

public sealed class OffsetCommitTests
{
    [Fact]
    public async Task Commit_CurrentMemberAndGeneration_StoresOffsetAndMetadata()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();

        kit.Commit(member, 1, 42, "worker-7|batch-3").Should().Be(ErrorCode.None);

        var fetched = kit.Fetch();
        fetched.CommittedOffset.Should().Be(42);
        fetched.Metadata.Should().Be("worker-7|batch-3");
        fetched.ErrorCode.Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task Commit_StaleGeneration_IsIllegalGeneration()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        var bJoin = kit.Join();
        await kit.Join(a);
        var b = await bJoin;
        await kit.Sync(a, 2, (a, "x"), (b.MemberId, "y"));

        kit.Commit(a, 1, 10).Should().Be(ErrorCode.IllegalGeneration);
        kit.Fetch().CommittedOffset.Should().Be(-1);
        kit.Commit(a, 2, 10).Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task Commit_UnknownMember_IsUnknownMemberId()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();

        kit.Commit("ghost", 1, 10).Should().Be(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task Commit_DuringCompletingRebalance_IsRebalanceInProgress()
    {
        var kit = new GroupTestKit();
        var join = await kit.Join();

        kit.Commit(join.MemberId, 1, 10).Should().Be(ErrorCode.RebalanceInProgress);
    }

    [Fact]
    public async Task Commit_PreviousGenerationDuringPreparingRebalance_IsAccepted()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        _ = kit.Join();

        kit.Snapshot.State.Should().Be(BrokerGroupState.PreparingRebalance);
        kit.Commit(a, 1, 5).Should().Be(ErrorCode.None, "members commit what they processed before rejoining");
    }

    [Fact]
    public void Commit_GenerationMinusOneOnUnknownGroup_CreatesEmptySimpleGroup()
    {
        var kit = new GroupTestKit();

        kit.Commit(string.Empty, -1, 7).Should().Be(ErrorCode.None);

        kit.Snapshot.State.Should().Be(BrokerGroupState.Empty);
        kit.Snapshot.ProtocolType.Should().BeEmpty();
        kit.Fetch().CommittedOffset.Should().Be(7);
    }

    [Fact]
    public void Commit_NonNegativeGenerationOnUnknownGroup_IsIllegalGeneration()
    {
        var kit = new GroupTestKit();

        kit.Commit("m", 3, 7).Should().Be(ErrorCode.IllegalGeneration);
    }

    [Fact]
    public async Task Commit_GenerationMinusOneOnActiveGroup_IsUnknownMemberId()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();

        kit.Commit(string.Empty, -1, 7).Should().Be(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task Commit_GenerationMinusOneAfterMembersLeft_IsAccepted()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();
        kit.Leave(a);

        kit.Commit(string.Empty, -1, 99).Should().Be(ErrorCode.None);
        kit.Fetch().CommittedOffset.Should().Be(99);
    }

    [Fact]
    public async Task Commit_MetadataOverLimit_IsOffsetMetadataTooLarge()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();

        kit.Commit(member, 1, 1, new string('x', 4097)).Should().Be(ErrorCode.OffsetMetadataTooLarge);
        kit.Commit(member, 1, 1, new string('x', 4096)).Should().Be(ErrorCode.None);
    }

    [Fact]
    public void Commit_UnknownPartition_IsUnknownTopicOrPartition()
    {
        var coordinator = new GroupCoordinator(new GroupCoordinatorOptions(), (topic, partition) => topic == "t" && partition == 0);

        var response = coordinator.CommitOffsets(new OffsetCommitRequest("g", -1, string.Empty, null, -1,
        [
            new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 1, -1, null), new OffsetCommitRequestPartition(1, 1, -1, null)]),
        ]));

        response.Topics[0].Partitions.Select(p => p.ErrorCode).Should().Equal(ErrorCode.None, ErrorCode.UnknownTopicOrPartition);
    }

    [Fact]
    public void Fetch_UnknownGroup_ReturnsMinusOneWithoutError()
    {
        var kit = new GroupTestKit();

        var fetched = kit.Fetch();

        fetched.CommittedOffset.Should().Be(-1);
        fetched.CommittedLeaderEpoch.Should().Be(-1);
        fetched.ErrorCode.Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task Fetch_NullTopics_ReturnsEveryCommittedPartition()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();
        kit.Commit(member, 1, 3, topic: "a", partition: 1);
        kit.Commit(member, 1, 4, topic: "b", partition: 0);

        var all = kit.Coordinator.FetchOffsets(new OffsetFetchRequest(GroupTestKit.Group, null));

        all.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset)))
            .Should().BeEquivalentTo([("a", 1, 3L), ("b", 0, 4L)]);
    }
}
