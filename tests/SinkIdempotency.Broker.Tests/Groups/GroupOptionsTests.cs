using SinkIdempotency.Broker.Groups;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Tests.Groups;

public sealed class GroupOptionsTests
{
    [Fact]
    public void Defaults_MatchKafkaExceptTheTestFriendlyInitialDelay()
    {
        var options = new KafkaBrokerOptions();

        options.InitialRebalanceDelay.Should().Be(TimeSpan.Zero);
        options.GroupMinSessionTimeout.Should().Be(TimeSpan.FromSeconds(6));
        options.GroupMaxSessionTimeout.Should().Be(TimeSpan.FromMinutes(30));
        options.OffsetMetadataMaxBytes.Should().Be(4096);
    }

    [Fact]
    public void Validate_NegativeInitialDelay_ThrowsNamingTheOption()
    {
        var act = () => new KafkaBroker(new KafkaBrokerOptions { InitialRebalanceDelay = TimeSpan.FromSeconds(-1) });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("InitialRebalanceDelay");
    }

    [Fact]
    public void Validate_MinSessionAboveMax_ThrowsNamingTheOption()
    {
        var act = () => new KafkaBrokerOptions { GroupMinSessionTimeout = TimeSpan.FromMinutes(31) }.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("GroupMinSessionTimeout must be positive and at most GroupMaxSessionTimeout (00:30:00).*")
            .Which.ParamName.Should().Be("GroupMinSessionTimeout");
    }

    [Fact]
    public async Task StaticMember_SecondInstanceWithSameId_FencesTheFirst()
    {
        var kit = new GroupTestKit();
        var request = GroupTestKit.JoinRequest() with { GroupInstanceId = "instance-1" };
        var first = await kit.Coordinator.JoinGroupAsync(request, 5, "c", "/h");
        first.ErrorCode.Should().Be(ErrorCode.None, "static members skip the KIP-394 round");
        await kit.Sync(first.MemberId, first.GenerationId, (first.MemberId, "a"));

        var second = await kit.Coordinator.JoinGroupAsync(request, 5, "c", "/h");

        second.ErrorCode.Should().Be(ErrorCode.None);
        second.MemberId.Should().NotBe(first.MemberId);
        kit.Coordinator.Heartbeat(new HeartbeatRequest(GroupTestKit.Group, second.GenerationId, first.MemberId, "instance-1")).ErrorCode
            .Should().Be(ErrorCode.FencedInstanceId);
        kit.Snapshot.Members.Should().ContainSingle().Which.GroupInstanceId.Should().Be("instance-1");
    }

    [Fact]
    public async Task DeleteTopic_DropsEveryGroupsOffsetsForIt()
    {
        await using var broker = new KafkaBroker();
        await broker.StartAsync(TestContext.Current.CancellationToken);
        broker.CreateTopic("doomed", 1);
        broker.CreateTopic("kept", 1);
        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.AlterConsumerGroupOffsetsAsync(
        [
            new Confluent.Kafka.ConsumerGroupTopicPartitionOffsets("g", [new Confluent.Kafka.TopicPartitionOffset("doomed", 0, 3), new Confluent.Kafka.TopicPartitionOffset("kept", 0, 4)]),
        ]);
        broker.GetCommittedOffsets("g").Should().HaveCount(2);

        await admin.DeleteTopicsAsync(["doomed"]);

        broker.GetCommittedOffsets("g").Select(o => o.Topic).Should().Equal("kept");
    }

    [Theory]
    [InlineData(ApiKey.FindCoordinator, 0, 2)]
    [InlineData(ApiKey.JoinGroup, 0, 5)]
    [InlineData(ApiKey.SyncGroup, 0, 3)]
    [InlineData(ApiKey.Heartbeat, 0, 3)]
    [InlineData(ApiKey.LeaveGroup, 0, 1)]
    [InlineData(ApiKey.OffsetCommit, 2, 7)]
    [InlineData(ApiKey.OffsetFetch, 1, 5)]
    [InlineData(ApiKey.ListGroups, 0, 2)]
    [InlineData(ApiKey.DescribeGroups, 0, 4)]
    [InlineData(ApiKey.DeleteGroups, 0, 1)]
    [InlineData(ApiKey.OffsetDelete, 0, 0)]
    public void ErrorResponse_EveryGroupApiAndVersion_CarriesTheInjectedError(ApiKey key, short min, short max)
    {
        for (var version = min; version <= max; version++)
        {
            var response = DecodedRequests.Read(key, version, SampleBody(key, version)).ErrorResponse(ErrorCode.CoordinatorNotAvailable, DecodedRequests.State);

            response.Should().NotBeNull();
            response!.TopLevelError.Should().Be(ErrorCode.CoordinatorNotAvailable, $"{key} v{version}");
            var writer = new KafkaWriter();
            response.Write(writer, version);
            writer.Length.Should().BeGreaterThan(0);
        }
    }

    /// <summary>Builds a request body naming group "g", member "m" and topic "t" partition 0.</summary>
    private static byte[] SampleBody(ApiKey key, short version)
    {
        var w = new KafkaWriter();
        switch (key)
        {
            case ApiKey.FindCoordinator:
                w.WriteString("g");
                if (version >= 1)
                {
                    w.WriteInt8(0);
                }

                break;
            case ApiKey.JoinGroup:
                w.WriteString("g");
                w.WriteInt32(10_000);
                if (version >= 1)
                {
                    w.WriteInt32(10_000);
                }

                w.WriteString("m");
                if (version >= 5)
                {
                    w.WriteNullableString(null);
                }

                w.WriteString("consumer");
                w.WriteArrayLength(0);
                break;
            case ApiKey.SyncGroup or ApiKey.Heartbeat:
                w.WriteString("g");
                w.WriteInt32(1);
                w.WriteString("m");
                if (version >= 3)
                {
                    w.WriteNullableString(null);
                }

                if (key == ApiKey.SyncGroup)
                {
                    w.WriteArrayLength(0);
                }

                break;
            case ApiKey.LeaveGroup:
                w.WriteString("g");
                w.WriteString("m");
                break;
            case ApiKey.OffsetCommit:
                w.WriteString("g");
                w.WriteInt32(1);
                w.WriteString("m");
                if (version >= 7)
                {
                    w.WriteNullableString(null);
                }

                if (version <= 4)
                {
                    w.WriteInt64(-1);
                }

                w.WriteArrayLength(1);
                w.WriteString("t");
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                w.WriteInt64(5);
                if (version >= 6)
                {
                    w.WriteInt32(-1);
                }

                w.WriteNullableString(null);
                break;
            case ApiKey.OffsetFetch or ApiKey.OffsetDelete:
                w.WriteString("g");
                w.WriteArrayLength(1);
                w.WriteString("t");
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                break;
            case ApiKey.DescribeGroups:
                w.WriteArrayLength(1);
                w.WriteString("g");
                if (version >= 3)
                {
                    w.WriteBoolean(false);
                }

                break;
            case ApiKey.DeleteGroups:
                w.WriteArrayLength(1);
                w.WriteString("g");
                break;
            default:
                break;
        }

        return w.WrittenSpan.ToArray();
    }
}
