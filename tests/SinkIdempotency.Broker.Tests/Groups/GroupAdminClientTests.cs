using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Broker.Tests.Support;

namespace SinkIdempotency.Broker.Tests.Groups;

/// <summary>Confluent.Kafka's consumer-group admin calls against the broker.</summary>
public sealed class GroupAdminClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ListAndDescribe_ActiveGroup_ShowStableMemberWithAssignment()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("adm", 2);
        var runner = fx.StartConsumer("adm-group", "adm-client", "adm");
        await Eventually.HoldsAsync(() => runner.Assignment.Count == 2 && fx.Broker.GetGroup("adm-group")?.State == Broker.Groups.BrokerGroupState.Stable, Patience, "the consumer owns both partitions");
        var admin = fx.Admin();

        var listed = await admin.ListConsumerGroupsAsync();
        var described = await admin.DescribeConsumerGroupsAsync(["adm-group"], new DescribeConsumerGroupsOptions { IncludeAuthorizedOperations = true });

        listed.Valid.Should().Contain(g => g.GroupId == "adm-group" && !g.IsSimpleConsumerGroup);
        var group = described.ConsumerGroupDescriptions.Should().ContainSingle().Subject;
        group.Error.IsError.Should().BeFalse();
        group.State.Should().Be(ConsumerGroupState.Stable);
        group.PartitionAssignor.Should().Be("range");
        group.IsSimpleConsumerGroup.Should().BeFalse();
        group.Coordinator.Port.Should().Be(fx.Broker.Port);
        group.AuthorizedOperations.Should().BeEquivalentTo([AclOperation.Read, AclOperation.Delete, AclOperation.Describe]);
        var member = group.Members.Should().ContainSingle().Subject;
        member.ClientId.Should().Be("adm-client");
        member.Host.Should().Be("/127.0.0.1");
        member.Assignment.TopicPartitions.Should().BeEquivalentTo([new TopicPartition("adm", 0), new TopicPartition("adm", 1)]);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task AlterListDeleteOffsets_AndDeleteGroup_FollowKafkaRules()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("offs", 2);
        fx.Broker.CreateTopic("other", 1);
        await fx.ProduceAsync("offs", 4, partitions: 2);
        var runner = fx.StartConsumer("offs-group", "offs-client", "offs");
        await Eventually.HoldsAsync(() => runner.Consumed.Count >= 4, Patience, "the consumer read 4 records");
        runner.Consumer.Commit([new TopicPartitionOffset("offs", 0, 2), new TopicPartitionOffset("offs", 1, 2)]);
        var admin = fx.Admin();

        // Altering the offsets of an active group fails, as in Kafka (UNKNOWN_MEMBER_ID).
        var whileActive = async () => await admin.AlterConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitionOffsets("offs-group", [new TopicPartitionOffset("offs", 0, 0)])]);
        (await whileActive.Should().ThrowAsync<AlterConsumerGroupOffsetsException>())
            .Which.Results[0].Partitions[0].Error.Code.Should().Be(Confluent.Kafka.ErrorCode.UnknownMemberId);

        // Deleting a group that still has members fails with NON_EMPTY_GROUP.
        var deleteActive = async () => await admin.DeleteGroupsAsync(["offs-group"]);
        (await deleteActive.Should().ThrowAsync<DeleteGroupsException>())
            .Which.Results[0].Error.Code.Should().Be(Confluent.Kafka.ErrorCode.NonEmptyGroup);

        await runner.CloseAsync();

        var altered = await admin.AlterConsumerGroupOffsetsAsync(
        [
            new ConsumerGroupTopicPartitionOffsets("offs-group", [new TopicPartitionOffset("offs", 0, 1), new TopicPartitionOffset("other", 0, 0)]),
        ]);
        altered.Should().ContainSingle().Which.Partitions.Should().OnlyContain(p => p.Error.Code == Confluent.Kafka.ErrorCode.NoError);

        var listed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("offs-group", null)]);
        listed.Should().ContainSingle().Which.Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value))
            .Should().BeEquivalentTo([("offs", 0, 1L), ("offs", 1, 2L), ("other", 0, 0L)]);

        var deleted = await admin.DeleteConsumerGroupOffsetsAsync("offs-group", [new TopicPartition("offs", 1)]);
        deleted.Partitions.Should().ContainSingle().Which.Partition.Value.Should().Be(1);
        fx.Broker.GetCommittedOffset("offs-group", "offs", 1).Should().BeNull();
        fx.Broker.GetCommittedOffset("offs-group", "offs", 0)!.Offset.Should().Be(1);

        await admin.DeleteGroupsAsync(["offs-group"]);
        fx.Broker.GetGroup("offs-group").Should().BeNull();
        (await admin.ListConsumerGroupsAsync()).Valid.Should().NotContain(g => g.GroupId == "offs-group");
        var again = async () => await admin.DeleteGroupsAsync(["offs-group"]);
        (await again.Should().ThrowAsync<DeleteGroupsException>())
            .Which.Results[0].Error.Code.Should().Be(Confluent.Kafka.ErrorCode.GroupIdNotFound);
    }

    [Fact]
    public async Task DeleteConsumerGroupOffsets_SubscribedTopic_IsRefused()
    {
        await using var fx = await BrokerFixture.StartAsync();
        fx.Broker.CreateTopic("sub", 1);
        var runner = fx.StartConsumer("sub-group", "sub-client", "sub");
        await Eventually.HoldsAsync(() => runner.Assignment.Count == 1, Patience, "the consumer owns the partition");
        runner.Consumer.Commit([new TopicPartitionOffset("sub", 0, 0)]);
        var admin = fx.Admin();

        var delete = async () => await admin.DeleteConsumerGroupOffsetsAsync("sub-group", [new TopicPartition("sub", 0)]);

        (await delete.Should().ThrowAsync<DeleteConsumerGroupOffsetsException>())
            .Which.Result.Partitions[0].Error.Code.Should().Be(Confluent.Kafka.ErrorCode.GroupSubscribedToTopic);
        fx.Broker.GetCommittedOffset("sub-group", "sub", 0)!.Offset.Should().Be(0);
        await runner.CloseAsync();
    }

    [Fact]
    public async Task DescribeConsumerGroups_UnknownGroup_IsDeadWithoutMembers()
    {
        await using var fx = await BrokerFixture.StartAsync();
        var admin = fx.Admin();

        var described = await admin.DescribeConsumerGroupsAsync(["never-seen"]);

        var group = described.ConsumerGroupDescriptions.Should().ContainSingle().Subject;
        group.State.Should().Be(ConsumerGroupState.Dead);
        group.Members.Should().BeEmpty();
    }
}
