using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Tests.Protocol;

/// <summary>Byte layouts from Kafka's message JSON (JoinGroupRequest.json etc.) for the group API versions we serve.</summary>
public sealed class GroupMessageCodecTests
{
    [Fact]
    public void JoinGroupRequest_V0_HasNoRebalanceTimeoutAndUsesSessionTimeout()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteInt32(10_000);
        body.WriteString(string.Empty);
        body.WriteString("consumer");
        body.WriteArrayLength(1);
        body.WriteString("range");
        body.WriteBytes([1, 2]);
        var reader = new KafkaReader(body.WrittenSpan);

        var request = JoinGroupRequest.Read(ref reader, 0);

        reader.End.Should().BeTrue();
        request.SessionTimeoutMs.Should().Be(10_000);
        request.RebalanceTimeoutMs.Should().Be(10_000);
        request.Protocols.Should().ContainSingle().Which.Metadata.Should().Equal(1, 2);
    }

    [Fact]
    public void JoinGroupRequest_V5_ReadsRebalanceTimeoutAndInstanceId()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteInt32(45_000);
        body.WriteInt32(300_000);
        body.WriteString("m-1");
        body.WriteNullableString("instance-1");
        body.WriteString("consumer");
        body.WriteArrayLength(2);
        body.WriteString("range");
        body.WriteBytes([1]);
        body.WriteString("cooperative-sticky");
        body.WriteBytes([2]);
        var reader = new KafkaReader(body.WrittenSpan);

        var request = JoinGroupRequest.Read(ref reader, 5);

        reader.End.Should().BeTrue();
        request.RebalanceTimeoutMs.Should().Be(300_000);
        request.MemberId.Should().Be("m-1");
        request.GroupInstanceId.Should().Be("instance-1");
        request.Protocols.Select(p => p.Name).Should().Equal("range", "cooperative-sticky");
    }

    [Fact]
    public void JoinGroupResponse_V5_WritesThrottleAndInstanceIds_V1_DoesNot()
    {
        var response = new JoinGroupResponse(ErrorCode.None, 3, "range", "m-1", "m-1", [new JoinGroupResponseMember("m-1", null, [9])]);

        var v5 = Write(response, 5);
        var v1 = Write(response, 1);

        v5.Should().Equal([
            0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
            0, 5, .. "range"u8, 0, 3, .. "m-1"u8, 0, 3, .. "m-1"u8,
            0, 0, 0, 1, 0, 3, .. "m-1"u8, 0xFF, 0xFF, 0, 0, 0, 1, 9,
        ]);
        v1.Should().Equal([
            0, 0, 0, 0, 0, 3,
            0, 5, .. "range"u8, 0, 3, .. "m-1"u8, 0, 3, .. "m-1"u8,
            0, 0, 0, 1, 0, 3, .. "m-1"u8, 0, 0, 0, 1, 9,
        ]);
    }

    [Fact]
    public void OffsetCommitRequest_V2_ReadsRetentionAndNoLeaderEpoch()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteInt32(1);
        body.WriteString("m");
        body.WriteInt64(-1);
        body.WriteArrayLength(1);
        body.WriteString("t");
        body.WriteArrayLength(1);
        body.WriteInt32(0);
        body.WriteInt64(42);
        body.WriteNullableString("meta");
        var reader = new KafkaReader(body.WrittenSpan);

        var request = OffsetCommitRequest.Read(ref reader, 2);

        reader.End.Should().BeTrue();
        request.RetentionTimeMs.Should().Be(-1);
        request.Topics[0].Partitions[0].Should().Be(new OffsetCommitRequestPartition(0, 42, -1, "meta"));
    }

    [Fact]
    public void OffsetCommitRequest_V7_ReadsInstanceIdAndLeaderEpochWithoutRetention()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteInt32(1);
        body.WriteString("m");
        body.WriteNullableString(null);
        body.WriteArrayLength(1);
        body.WriteString("t");
        body.WriteArrayLength(1);
        body.WriteInt32(2);
        body.WriteInt64(42);
        body.WriteInt32(7);
        body.WriteNullableString(null);
        var reader = new KafkaReader(body.WrittenSpan);

        var request = OffsetCommitRequest.Read(ref reader, 7);

        reader.End.Should().BeTrue();
        request.Topics[0].Partitions[0].Should().Be(new OffsetCommitRequestPartition(2, 42, 7, null));
    }

    [Fact]
    public void OffsetFetchResponse_V1_HasNoThrottleEpochOrTopLevelError_V5_HasAll()
    {
        var response = new OffsetFetchResponse([new OffsetFetchResponseTopic("t", [new OffsetFetchResponsePartition(0, 5, 2, "m", ErrorCode.None)])], ErrorCode.None);

        Write(response, 1).Should().Equal([0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 1, (byte)'m', 0, 0]);
        Write(response, 5).Should().Equal([0, 0, 0, 0, 0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, 0, 1, (byte)'m', 0, 0, 0, 0]);
    }

    [Fact]
    public void OffsetFetchRequest_V2NullTopics_MeansAllPartitions()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteArrayLength(-1);
        var reader = new KafkaReader(body.WrittenSpan);

        OffsetFetchRequest.Read(ref reader, 2).Topics.Should().BeNull();
    }

    [Fact]
    public void DescribeGroupsResponse_V4_WritesInstanceIdAndAuthorizedOperations_V0_DoesNot()
    {
        var response = new DescribeGroupsResponse([
            new DescribedGroup(ErrorCode.None, "g", "Stable", "consumer", "range", [new DescribedGroupMember("m", null, "c", "/h", [1], [2])], int.MinValue),
        ]);

        byte[] group = [0, 0, 0, 1, 0, 0, 0, 1, (byte)'g', 0, 6, .. "Stable"u8, 0, 8, .. "consumer"u8, 0, 5, .. "range"u8, 0, 0, 0, 1, 0, 1, (byte)'m'];
        byte[] member = [0, 1, (byte)'c', 0, 2, (byte)'/', (byte)'h', 0, 0, 0, 1, 1, 0, 0, 0, 1, 2];
        Write(response, 0).Should().Equal([.. group, .. member]);
        Write(response, 4).Should().Equal([0, 0, 0, 0, .. group, 0xFF, 0xFF, .. member, 0x80, 0, 0, 0]);
    }

    [Fact]
    public void FindCoordinatorResponse_V0_IsErrorNodeHostPort_V1_AddsThrottleAndMessage()
    {
        var response = new FindCoordinatorResponse(ErrorCode.None, null, 1, "h", 9092);

        Write(response, 0).Should().Equal([0, 0, 0, 0, 0, 1, 0, 1, (byte)'h', 0, 0, 0x23, 0x84]);
        Write(response, 1).Should().Equal([0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 1, 0, 1, (byte)'h', 0, 0, 0x23, 0x84]);
    }

    [Fact]
    public void OffsetDeleteResponse_V0_PutsErrorBeforeThrottle()
    {
        var response = new OffsetDeleteResponse(ErrorCode.GroupIdNotFound, []);

        Write(response, 0).Should().Equal([0, 69, 0, 0, 0, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void SyncGroupRequest_V3_ReadsInstanceIdAndAssignments()
    {
        var body = new KafkaWriter();
        body.WriteString("g");
        body.WriteInt32(2);
        body.WriteString("m");
        body.WriteNullableString("i");
        body.WriteArrayLength(1);
        body.WriteString("m");
        body.WriteBytes([7]);
        var reader = new KafkaReader(body.WrittenSpan);

        var request = SyncGroupRequest.Read(ref reader, 3);

        reader.End.Should().BeTrue();
        request.GroupInstanceId.Should().Be("i");
        request.Assignments.Should().ContainSingle().Which.Assignment.Should().Equal(7);
    }

    private static byte[] Write(Broker.Server.Response response, short version)
    {
        var writer = new KafkaWriter();
        response.Write(writer, version);
        return writer.WrittenSpan.ToArray();
    }
}
