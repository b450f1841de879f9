using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Faults;

public sealed class RequestFactsTests
{
    [Fact]
    public void Describe_OffsetCommitV7_ExposesGroupMemberGenerationAndOffsets()
    {
        var body = new KafkaWriter();
        body.WriteString("connect-x");
        body.WriteInt32(4);
        body.WriteString("m-1");
        body.WriteNullableString(null);
        body.WriteArrayLength(1);
        body.WriteString("orders");
        body.WriteArrayLength(2);
        body.WriteInt32(0);
        body.WriteInt64(10);
        body.WriteInt32(-1);
        body.WriteNullableString("meta");
        body.WriteInt32(1);
        body.WriteInt64(20);
        body.WriteInt32(-1);
        body.WriteNullableString(null);

        var facts = DecodedRequests.Describe(ApiKey.OffsetCommit, 7, body.WrittenMemory, 9, "worker", 3);

        facts.GroupId.Should().Be("connect-x");
        facts.MemberId.Should().Be("m-1");
        facts.GenerationId.Should().Be(4);
        facts.ClientId.Should().Be("worker");
        facts.Topics.Should().Equal("orders");
        facts.Offsets.Should().Equal(
            new BrokerPartitionOffset("orders", 0, 10, "meta", null),
            new BrokerPartitionOffset("orders", 1, 20, null, null));
    }

    [Fact]
    public void Describe_ProduceV7_ExposesTopics()
    {
        var body = new KafkaWriter();
        body.WriteNullableString(null);
        body.WriteInt16((short)-1);
        body.WriteInt32(30_000);
        body.WriteArrayLength(1);
        body.WriteString("orders");
        body.WriteArrayLength(1);
        body.WriteInt32(0);
        body.WriteBytes([1, 2, 3]);

        DecodedRequests.Describe(ApiKey.Produce, 7, body.WrittenMemory, 1, "p", 1).Topics.Should().Equal("orders");
    }

    [Fact]
    public void Describe_FetchV11_ExposesTopics()
    {
        var body = new KafkaWriter();
        body.WriteInt32(-1);
        body.WriteInt32(500);
        body.WriteInt32(1);
        body.WriteInt32(52_428_800);
        body.WriteInt8(1);
        body.WriteInt32(0);
        body.WriteInt32(-1);
        body.WriteArrayLength(2);
        foreach (var topic in new[] { "a", "b" })
        {
            body.WriteString(topic);
            body.WriteArrayLength(1);
            body.WriteInt32(0);
            body.WriteInt32(-1);
            body.WriteInt64(0);
            body.WriteInt64(-1);
            body.WriteInt32(1_048_576);
        }

        body.WriteArrayLength(0);
        body.WriteString(string.Empty);

        DecodedRequests.Describe(ApiKey.Fetch, 11, body.WrittenMemory, 1, "c", 1).Topics.Should().Equal("a", "b");
    }

    [Fact]
    public void Describe_CreateTopics_ExposesEveryTopicName()
    {
        var body = new KafkaWriter();
        body.WriteArrayLength(2);
        foreach (var topic in new[] { "a", "b" })
        {
            body.WriteString(topic);
            body.WriteInt32(1);
            body.WriteInt16((short)1);
            body.WriteArrayLength(0);
            body.WriteArrayLength(0);
        }

        body.WriteInt32(1000);
        body.WriteBoolean(false);

        DecodedRequests.Describe(ApiKey.CreateTopics, 4, body.WrittenMemory, 1, "admin", 1).Topics.Should().Equal("a", "b");
    }

    [Fact]
    public void Read_MalformedBody_ThrowsProtocolException()
    {
        var act = () => DecodedRequests.Read(ApiKey.JoinGroup, 5, new byte[] { 0, 5, 1 });

        act.Should().Throw<ProtocolException>();
    }
}
