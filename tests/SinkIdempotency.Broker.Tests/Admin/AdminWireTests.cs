using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Tests.Server;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Admin;

/// <summary>
/// Every version of the retention and ACL admin APIs, classic and flexible, decoded field by field to the last
/// byte: Confluent.Kafka only ever sends the highest version, so the others are proven here.
/// </summary>
public sealed class AdminWireTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DeleteRecords_EveryVersion_AnswersLowWatermarkAndPerPartitionErrors(short version)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 8);
        var flexible = version >= 2;

        var body = await ExchangeAsync(broker, ApiKey.DeleteRecords, version, flexible, w => RequestFrames.DeleteRecordsBody(w, flexible, topic, (0, 5), (7, 1)));
        var r = new KafkaReader(body);

        r.ReadInt32().Should().Be(0);
        r.ReadArrayLength(flexible, 1).Should().Be(1);
        r.ReadString(flexible).Should().Be(topic);
        r.ReadArrayLength(flexible, 1).Should().Be(2);
        (r.ReadInt32(), r.ReadInt64(), (ErrorCode)r.ReadInt16()).Should().Be((0, 5L, ErrorCode.None));
        r.SkipTaggedFields(flexible);
        (r.ReadInt32(), r.ReadInt64(), (ErrorCode)r.ReadInt16()).Should().Be((7, -1L, ErrorCode.UnknownTopicOrPartition));
        r.SkipTaggedFields(flexible);
        r.SkipTaggedFields(flexible);
        r.SkipTaggedFields(flexible);
        r.End.Should().BeTrue("no byte may trail the response");
        broker.GetTopic(topic)!.Partitions[0].LogStartOffset.Should().Be(5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task DescribeAcls_EveryVersion_AnswersSecurityDisabledWithKafkasMessageAndNoResources(short version)
    {
        await using var broker = await StartBrokerAsync();
        var flexible = version >= 2;

        var body = await ExchangeAsync(broker, ApiKey.DescribeAcls, version, flexible, w => RequestFrames.DescribeAclsBody(w, version, flexible, "User:connect"));
        var r = new KafkaReader(body);

        r.ReadInt32().Should().Be(0);
        ((ErrorCode)r.ReadInt16()).Should().Be(ErrorCode.SecurityDisabled);
        r.ReadNullableString(flexible).Should().Be("No Authorizer is configured on the broker");
        r.ReadArrayLength(flexible, 1).Should().Be(0);
        r.SkipTaggedFields(flexible);
        r.End.Should().BeTrue();
    }

    [Theory]
    [InlineData(ApiKey.AlterConfigs, 0)]
    [InlineData(ApiKey.AlterConfigs, 1)]
    [InlineData(ApiKey.AlterConfigs, 2)]
    [InlineData(ApiKey.IncrementalAlterConfigs, 0)]
    [InlineData(ApiKey.IncrementalAlterConfigs, 1)]
    public async Task AlterConfigs_EveryVersion_AppliesTopicConfigAndRefusesBrokerResource(ApiKey key, short version)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        var flexible = version >= (key == ApiKey.AlterConfigs ? 2 : 1);

        var body = await ExchangeAsync(broker, key, version, flexible, w => RequestFrames.AlterConfigsBody(w, key, flexible, "retention.ms", "90000", (2, topic), (4, "1")));
        var r = new KafkaReader(body);

        r.ReadInt32().Should().Be(0);
        r.ReadArrayLength(flexible, 1).Should().Be(2);
        ((ErrorCode)r.ReadInt16()).Should().Be(ErrorCode.None);
        r.ReadNullableString(flexible).Should().BeNull();
        r.ReadInt8().Should().Be(2);
        r.ReadString(flexible).Should().Be(topic);
        r.SkipTaggedFields(flexible);
        ((ErrorCode)r.ReadInt16()).Should().Be(ErrorCode.InvalidConfig);
        r.ReadNullableString(flexible).Should().Contain("KafkaBrokerOptions");
        r.ReadInt8().Should().Be(4);
        r.ReadString(flexible).Should().Be("1");
        r.SkipTaggedFields(flexible);
        r.SkipTaggedFields(flexible);
        r.End.Should().BeTrue();
        broker.GetTopic(topic)!.Configs.Should().Contain("retention.ms", "90000");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task DescribeConfigs_EveryVersion_EncodesSourceSynonymsAndType(short version)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["retention.bytes"] = "5000" });
        var flexible = version >= 4;

        var body = await ExchangeAsync(broker, ApiKey.DescribeConfigs, version, flexible, w => RequestFrames.DescribeConfigsBody(w, version, flexible, (2, topic, ["retention.bytes"])));
        var r = new KafkaReader(body);

        r.ReadInt32().Should().Be(0);
        r.ReadArrayLength(flexible, 1).Should().Be(1);
        ((ErrorCode)r.ReadInt16()).Should().Be(ErrorCode.None);
        r.ReadNullableString(flexible).Should().BeNull();
        r.ReadInt8().Should().Be(2);
        r.ReadString(flexible).Should().Be(topic);
        r.ReadArrayLength(flexible, 1).Should().Be(1);
        r.ReadString(flexible).Should().Be("retention.bytes");
        r.ReadNullableString(flexible).Should().Be("5000");
        r.ReadBoolean().Should().BeFalse("topic configs are not read-only");
        if (version == 0)
        {
            r.ReadBoolean().Should().BeFalse("IsDefault: the topic sets it");
        }
        else
        {
            r.ReadInt8().Should().Be(1, "TOPIC_CONFIG");
        }

        r.ReadBoolean().Should().BeFalse("not sensitive");
        if (version >= 1)
        {
            r.ReadArrayLength(flexible, 1).Should().Be(2);
            (r.ReadString(flexible), r.ReadNullableString(flexible), r.ReadInt8()).Should().Be(("retention.bytes", "5000", (sbyte)1));
            r.SkipTaggedFields(flexible);
            (r.ReadString(flexible), r.ReadNullableString(flexible), r.ReadInt8()).Should().Be(("log.retention.bytes", "-1", (sbyte)5));
            r.SkipTaggedFields(flexible);
        }

        if (version >= 3)
        {
            r.ReadInt8().Should().Be(5, "LONG");
            r.ReadNullableString(flexible).Should().BeNull("the embedded broker carries no documentation");
        }

        r.SkipTaggedFields(flexible);
        r.SkipTaggedFields(flexible);
        r.SkipTaggedFields(flexible);
        r.End.Should().BeTrue();
    }

    /// <summary>Sends one request and returns the response body after the correlation id and, when flexible, the header's tag section.</summary>
    private static async Task<byte[]> ExchangeAsync(KafkaBroker broker, ApiKey key, short version, bool flexible, Action<KafkaWriter> body)
    {
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        await client.SendAsync(RequestFrames.Frame(key, version, 77, body, flexible));
        var (correlation, bytes) = (await client.ReadAsync())!.Value;
        correlation.Should().Be(77);
        return flexible ? bytes[1..] : bytes;
    }
}
