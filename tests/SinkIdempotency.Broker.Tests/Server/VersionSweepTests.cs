using SinkIdempotency.Broker.Protocol;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Server;

/// <summary>Every advertised version of the topic and admin APIs is decoded and answered, and the connection stays usable.</summary>
public sealed class VersionSweepTests
{
    public static TheoryData<ApiKey, short> Versions()
    {
        var data = new TheoryData<ApiKey, short>();
        foreach (var (key, min, max) in new (ApiKey, short, short)[]
        {
            (ApiKey.ApiVersions, 0, 3), (ApiKey.Metadata, 0, 8), (ApiKey.Produce, 3, 7), (ApiKey.Fetch, 4, 11),
            (ApiKey.ListOffsets, 1, 5), (ApiKey.CreateTopics, 0, 4), (ApiKey.DeleteTopics, 0, 3),
            (ApiKey.DescribeConfigs, 0, 4), (ApiKey.InitProducerId, 0, 1), (ApiKey.DeleteRecords, 0, 2),
            (ApiKey.DescribeAcls, 0, 3), (ApiKey.AlterConfigs, 0, 2), (ApiKey.IncrementalAlterConfigs, 0, 1),
        })
        {
            for (var v = min; v <= max; v++)
            {
                data.Add(key, v);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Request_EveryAdvertisedVersion_IsAnsweredAndConnectionStaysOpen(ApiKey key, short version)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.Frame(key, version, 41, w => WriteBody(w, key, version, topic), flexible: IsFlexible(key, version)));
        await client.SendAsync(RequestFrames.ApiVersions(0, 42));

        var first = await client.ReadAsync();
        first.Should().NotBeNull($"{key} v{version} must be answered, not make the broker close the connection");
        first!.Value.CorrelationId.Should().Be(41);
        first.Value.Body.Should().NotBeEmpty();
        (await client.ReadAsync())!.Value.CorrelationId.Should().Be(42);
    }

    /// <summary>Kafka's first flexible versions of the APIs swept here (from the message JSON).</summary>
    private static bool IsFlexible(ApiKey key, short version) => key switch
    {
        ApiKey.ApiVersions => version >= 3,
        ApiKey.DescribeConfigs => version >= 4,
        ApiKey.DeleteRecords or ApiKey.DescribeAcls or ApiKey.AlterConfigs => version >= 2,
        ApiKey.IncrementalAlterConfigs => version >= 1,
        _ => false,
    };

    private static void WriteBody(KafkaWriter w, ApiKey key, short version, string topic)
    {
        var flexible = IsFlexible(key, version);
        switch (key)
        {
            case ApiKey.ApiVersions:
                if (version >= 3)
                {
                    w.WriteCompactString("sweep");
                    w.WriteCompactString("1");
                    w.WriteEmptyTaggedFields();
                }

                break;
            case ApiKey.Metadata:
                w.WriteArrayLength(1);
                w.WriteString(topic);
                if (version >= 4)
                {
                    w.WriteBoolean(true);
                }

                if (version >= 8)
                {
                    w.WriteBoolean(true);
                    w.WriteBoolean(true);
                }

                break;
            case ApiKey.Produce:
                w.WriteNullableString(null);
                w.WriteInt16(1);
                w.WriteInt32(1000);
                w.WriteArrayLength(1);
                w.WriteString(topic);
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                w.WriteBytes(TestBatches.Build(2));
                break;
            case ApiKey.Fetch:
                w.WriteInt32(-1);
                w.WriteInt32(0);
                w.WriteInt32(1);
                w.WriteInt32(1 << 20);
                w.WriteInt8(0);
                if (version >= 7)
                {
                    w.WriteInt32(0);
                    w.WriteInt32(-1);
                }

                w.WriteArrayLength(1);
                w.WriteString(topic);
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                if (version >= 9)
                {
                    w.WriteInt32(-1);
                }

                w.WriteInt64(0);
                if (version >= 5)
                {
                    w.WriteInt64(-1);
                }

                w.WriteInt32(1 << 20);
                if (version >= 7)
                {
                    w.WriteArrayLength(0);
                }

                if (version >= 11)
                {
                    w.WriteString("rack");
                }

                break;
            case ApiKey.ListOffsets:
                w.WriteInt32(-1);
                if (version >= 2)
                {
                    w.WriteInt8(0);
                }

                w.WriteArrayLength(1);
                w.WriteString(topic);
                w.WriteArrayLength(1);
                w.WriteInt32(0);
                if (version >= 4)
                {
                    w.WriteInt32(-1);
                }

                w.WriteInt64(-2);
                break;
            case ApiKey.CreateTopics:
                w.WriteArrayLength(1);
                w.WriteString(topic + "-new");
                w.WriteInt32(2);
                w.WriteInt16(1);
                w.WriteArrayLength(0);
                w.WriteArrayLength(0);
                w.WriteInt32(1000);
                if (version >= 1)
                {
                    w.WriteBoolean(false);
                }

                break;
            case ApiKey.DeleteTopics:
                w.WriteArrayLength(1);
                w.WriteString(topic);
                w.WriteInt32(1000);
                break;
            case ApiKey.DescribeConfigs:
                RequestFrames.DescribeConfigsBody(w, version, flexible, (2, topic, null), (4, "1", ["num.partitions"]));
                break;
            case ApiKey.DeleteRecords:
                RequestFrames.DeleteRecordsBody(w, flexible, topic, (0, -1));
                break;
            case ApiKey.DescribeAcls:
                RequestFrames.DescribeAclsBody(w, version, flexible, null);
                break;
            case ApiKey.AlterConfigs or ApiKey.IncrementalAlterConfigs:
                RequestFrames.AlterConfigsBody(w, key, flexible, "retention.ms", "60000", (2, topic));
                break;
            case ApiKey.InitProducerId:
                w.WriteNullableString(null);
                w.WriteInt32(-1);
                break;
        }
    }
}
