using System.Buffers.Binary;
using System.Collections.Concurrent;
using Confluent.Kafka;
using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Protocol;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Server;

public sealed class MalformedInputTests
{
    [Theory]
    [InlineData(20251124)]
    [InlineData(7)]
    [InlineData(424242)]
    public async Task MutatedFrames_ThousandsFromSeed_BrokerSurvivesAndStillServesARealClient(int seed)
    {
        var logs = new RecordingLoggerFactory();
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { MaxRequestBytes = 1024 * 1024, DefaultPartitions = 2, LoggerFactory = logs });
        var random = new Random(seed);
        var topic = UniqueTopic("fuzz");
        byte[][] templates =
        [
            RequestFrames.ApiVersions(0, 1),
            RequestFrames.ApiVersions(3, 2),
            RequestFrames.Metadata(3, topic, "other"),
            RequestFrames.Produce(4, 1, topic, 0, TestBatches.Build(3)),
            RequestFrames.Produce(5, -1, topic, 1, TestBatches.Build(2, 5, 0, 0)),
            RequestFrames.Fetch(6, topic, 0, 0, maxWaitMs: 1),
            RequestFrames.ListOffsets(7, topic, -2),
            RequestFrames.CreateTopics(8, topic + "-c", 3),
            RequestFrames.DescribeConfigs(9, topic),
            RequestFrames.InitProducerId(10),
            RequestFrames.DeleteTopics(11, topic + "-c"),
            RequestFrames.Frame(ApiKey.DeleteRecords, 2, 12, w => RequestFrames.DeleteRecordsBody(w, true, topic, (0, 1)), flexible: true),
            RequestFrames.Frame(ApiKey.DescribeAcls, 2, 13, w => RequestFrames.DescribeAclsBody(w, 2, true, "User:x"), flexible: true),
            RequestFrames.Frame(ApiKey.IncrementalAlterConfigs, 1, 14, w => RequestFrames.AlterConfigsBody(w, ApiKey.IncrementalAlterConfigs, true, "retention.ms", "1000", (2, topic)), flexible: true),
            RequestFrames.Frame(ApiKey.AlterConfigs, 0, 15, w => RequestFrames.AlterConfigsBody(w, ApiKey.AlterConfigs, false, "segment.bytes", "100000", (2, topic))),
            RequestFrames.Frame(ApiKey.DescribeConfigs, 4, 16, w => RequestFrames.DescribeConfigsBody(w, 4, true, (2, topic, null)), flexible: true),
        ];

        const int Frames = 3000;
        var sent = 0;
        while (sent < Frames)
        {
            await using var client = await RawKafkaClient.ConnectAsync(broker);
            var burst = random.Next(1, 40);
            var payload = new List<byte>();
            for (var i = 0; i < burst && sent < Frames; i++, sent++)
            {
                payload.AddRange(Mutate(templates[random.Next(templates.Length)], random));
            }

            try
            {
                await client.SendAsync([.. payload]);
            }
            catch (IOException)
            {
                // The broker may already have closed this connection after an earlier bad frame.
            }
        }

        (await EventuallyAsync(() => broker.ConnectionCount == 0)).Should().BeTrue("every fuzzed connection is closed by the client or the broker");
        logs.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Closing connection"), "bad input is logged");
        logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Select(e => e.Message + " " + e.Exception)
            .Should().BeEmpty("malformed input must be rejected by validation, never by a handler crashing");

        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();
        var report = await producer.ProduceAsync(topic + "-after", new Message<Null, string> { Value = "still alive" }, TestContext.Current.CancellationToken);
        report.Status.Should().Be(PersistenceStatus.Persisted);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker)).Build();
        consumer.Assign(new TopicPartitionOffset(topic + "-after", report.Partition, report.Offset));
        ConsumeExactly(consumer, 1).Single().Message.Value.Should().Be("still alive");
    }

    private static byte[] Mutate(byte[] template, Random random)
    {
        var frame = (byte[])template.Clone();
        switch (random.Next(8))
        {
            case 0:
                // Flip a few bytes anywhere after the size.
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    frame[4 + random.Next(frame.Length - 4)] ^= (byte)random.Next(1, 256);
                }

                return frame;
            case 1:
                // Truncate the body but keep the size consistent.
                var cut = random.Next(6, frame.Length);
                var truncated = frame[..cut];
                BinaryPrimitives.WriteInt32BigEndian(truncated, cut - 4);
                return truncated;
            case 2:
                // Lie about the size.
                BinaryPrimitives.WriteInt32BigEndian(frame, random.Next(2) == 0 ? random.Next(int.MinValue, 64) : random.Next(frame.Length, int.MaxValue));
                return frame;
            case 3:
                // Pure garbage.
                var garbage = new byte[random.Next(1, 200)];
                random.NextBytes(garbage);
                return garbage;
            case 4:
                // Overwrite an int32 with an extreme array length or string length.
                var at = 4 + random.Next(frame.Length - 8);
                BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(at), random.Next(3) switch { 0 => int.MaxValue, 1 => -2, _ => random.Next() });
                return frame;
            case 5:
                // Unknown or unsupported API version.
                BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), (short)random.Next(-2, 40));
                return frame;
            case 6:
                // Splice random bytes (often high varint bytes) into the body and fix the size.
                var insert = new byte[random.Next(1, 12)];
                random.NextBytes(insert);
                var at2 = 14 + random.Next(Math.Max(1, frame.Length - 14));
                byte[] spliced = [.. frame.AsSpan(0, Math.Min(at2, frame.Length)), .. insert, .. frame.AsSpan(Math.Min(at2, frame.Length))];
                BinaryPrimitives.WriteInt32BigEndian(spliced, spliced.Length - 4);
                return spliced;
            default:
                return frame;
        }
    }

    [Fact]
    public async Task MalformedBody_WithObserver_ReportedAsDroppedWithTheHeaderFactsAndNotHandled()
    {
        await using var broker = await StartBrokerAsync();
        var exchanges = new ConcurrentQueue<BrokerExchange>();
        using var observer = broker.ObserveRequests(exchanges.Enqueue);
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.Frame(ApiKey.JoinGroup, 5, 31, w => w.WriteInt16(40)));

        (await client.IsClosedByBrokerAsync()).Should().BeTrue();
        (await EventuallyAsync(() => !exchanges.IsEmpty)).Should().BeTrue();
        exchanges.Should().ContainSingle().Which.Should().Match<BrokerExchange>(e =>
            e.Request.ApiKey == ApiKey.JoinGroup && e.Request.CorrelationId == 31 && e.Request.GroupId == null && e.ConnectionDropped && !e.Handled && e.ErrorCode == null);
    }
}
