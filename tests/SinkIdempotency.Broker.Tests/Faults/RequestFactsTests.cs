using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Tests.Faults;

public sealed class RequestFactsTests
{
    [Fact]
    public void Parse_OffsetCommitV7_ExposesGroupMemberGenerationAndOffsets()
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

        var facts = RequestFacts.Parse(ApiKey.OffsetCommit, 7, 9, "worker", 3, body.WrittenSpan);

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
    public void Parse_ProduceV7_ExposesTopics()
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

        RequestFacts.Parse(ApiKey.Produce, 7, 1, "p", 1, body.WrittenSpan).Topics.Should().Equal("orders");
    }

    [Fact]
    public void Parse_FetchV11_ExposesTopics()
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

        RequestFacts.Parse(ApiKey.Fetch, 11, 1, "c", 1, body.WrittenSpan).Topics.Should().Equal("a", "b");
    }

    [Fact]
    public void Parse_MalformedBody_KeepsHeaderFacts()
    {
        var facts = RequestFacts.Parse(ApiKey.JoinGroup, 5, 7, "c", 2, [0, 5, 1]);

        facts.ApiKey.Should().Be(ApiKey.JoinGroup);
        facts.CorrelationId.Should().Be(7);
        facts.GroupId.Should().BeNull();
    }
}
