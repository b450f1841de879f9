using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Tests.Groups;

public sealed class GroupAdminTests
{
    [Fact]
    public async Task DeleteGroups_ActiveEmptyAndUnknown_AnswerPerGroup()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();
        kit.Coordinator.CommitOffsets(new OffsetCommitRequest("offsets-only", -1, string.Empty, null, -1,
            [new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 5, -1, null)])]));

        var response = kit.Coordinator.DeleteGroups(new DeleteGroupsRequest([GroupTestKit.Group, "offsets-only", "nope"]));

        response.Results.Select(r => r.ErrorCode).Should().Equal(ErrorCode.NonEmptyGroup, ErrorCode.None, ErrorCode.GroupIdNotFound);
        kit.Coordinator.Find("offsets-only").Should().BeNull();
        kit.Coordinator.FetchOffsets(new OffsetFetchRequest("offsets-only", [new OffsetFetchRequestTopic("t", [0])]))
            .Topics[0].Partitions[0].CommittedOffset.Should().Be(-1, "deleting a group deletes its offsets");
    }

    [Fact]
    public async Task DescribeGroups_StableGroup_ReportsProtocolMembersAndAssignments()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();

        var described = kit.Coordinator.DescribeGroups(new DescribeGroupsRequest([GroupTestKit.Group, "unknown"], false)).Groups;

        described[0].GroupState.Should().Be("Stable");
        described[0].ProtocolType.Should().Be("consumer");
        described[0].ProtocolData.Should().Be("range");
        described[0].Members.Should().ContainSingle().Which.MemberId.Should().Be(member);
        described[0].Members[0].MemberAssignment.Should().Equal("a"u8.ToArray());
        described[0].Members[0].ClientId.Should().Be("c");
        described[1].GroupState.Should().Be("Dead");
        described[1].ErrorCode.Should().Be(ErrorCode.None);
    }

    [Fact]
    public async Task DescribeGroups_Rebalancing_HidesProtocolAndAssignments()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();
        _ = kit.Join();

        var described = kit.Coordinator.DescribeGroups(new DescribeGroupsRequest([GroupTestKit.Group], false)).Groups[0];

        described.GroupState.Should().Be("PreparingRebalance");
        described.ProtocolData.Should().BeEmpty();
        described.Members.Should().AllSatisfy(m => m.MemberAssignment.Should().BeEmpty());
    }

    [Fact]
    public async Task ListGroups_ListsEveryLiveGroupWithProtocolType()
    {
        var kit = new GroupTestKit();
        await kit.StableSingleMemberAsync();
        kit.Coordinator.CommitOffsets(new OffsetCommitRequest("simple", -1, string.Empty, null, -1,
            [new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 5, -1, null)])]));

        var listed = kit.Coordinator.ListGroups().Groups;

        listed.Should().BeEquivalentTo([new ListedGroup("g", "consumer"), new ListedGroup("simple", string.Empty)]);
    }

    [Fact]
    public async Task OffsetDelete_SubscribedTopic_IsRefusedAndOtherTopicDeleted()
    {
        var kit = new GroupTestKit();
        var member = await kit.StableSingleMemberAsync();
        kit.Commit(member, 1, 3, topic: "t");
        kit.Commit(member, 1, 4, topic: "other");

        var response = kit.Coordinator.DeleteOffsets(new OffsetDeleteRequest(GroupTestKit.Group,
            [new OffsetDeleteRequestTopic("t", [0]), new OffsetDeleteRequestTopic("other", [0])]));

        response.ErrorCode.Should().Be(ErrorCode.None);
        response.Topics[0].Partitions[0].ErrorCode.Should().Be(ErrorCode.GroupSubscribedToTopic);
        response.Topics[1].Partitions[0].ErrorCode.Should().Be(ErrorCode.None);
        kit.Fetch("t").CommittedOffset.Should().Be(3);
        kit.Fetch("other").CommittedOffset.Should().Be(-1);
    }

    [Fact]
    public void OffsetDelete_UnknownGroup_IsGroupIdNotFound()
    {
        var kit = new GroupTestKit();

        kit.Coordinator.DeleteOffsets(new OffsetDeleteRequest("nope", [])).ErrorCode.Should().Be(ErrorCode.GroupIdNotFound);
    }

    [Fact]
    public async Task ExpireMember_StableMember_IsRemovedAndRebalanceStarts()
    {
        var kit = new GroupTestKit();
        var a = await kit.StableSingleMemberAsync();

        kit.Coordinator.Find(GroupTestKit.Group)!.ExpireMember(a).Should().BeTrue();

        kit.Snapshot.Members.Should().BeEmpty();
        kit.Snapshot.State.Should().Be(BrokerGroupState.Empty);
    }
}
