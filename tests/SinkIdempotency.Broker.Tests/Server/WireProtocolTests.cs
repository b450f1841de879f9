using System.Buffers.Binary;
using SinkIdempotency.Broker.Protocol;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Server;

public sealed class WireProtocolTests
{
    [Fact]
    public async Task ApiVersions_V3_AnswersFlexibleBodyWithHeaderV0AndOurRanges()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.ApiVersions(3, 7));
        var (correlation, body) = (await client.ReadAsync())!.Value;

        correlation.Should().Be(7);
        var reader = new KafkaReader(body);
        reader.ReadInt16().Should().Be(0, "the first body byte follows the correlation id directly (no header tags)");
        var count = reader.ReadCompactArrayLength();
        var ranges = new Dictionary<ApiKey, (short Min, short Max)>();
        for (var i = 0; i < count; i++)
        {
            var key = (ApiKey)reader.ReadInt16();
            ranges[key] = (reader.ReadInt16(), reader.ReadInt16());
            reader.SkipTaggedFields();
        }

        reader.ReadInt32().Should().Be(0);
        reader.SkipTaggedFields();
        reader.End.Should().BeTrue();
        ranges.Should().Contain(new Dictionary<ApiKey, (short, short)>
        {
            [ApiKey.ApiVersions] = (0, 3),
            [ApiKey.Metadata] = (0, 8),
            [ApiKey.Produce] = (3, 7),
            [ApiKey.Fetch] = (4, 11),
            [ApiKey.ListOffsets] = (1, 5),
            [ApiKey.CreateTopics] = (0, 4),
            [ApiKey.DeleteTopics] = (0, 3),
            [ApiKey.DescribeConfigs] = (0, 4),
            [ApiKey.InitProducerId] = (0, 1),
            [ApiKey.DeleteRecords] = (0, 2),
            [ApiKey.DescribeAcls] = (0, 3),
            [ApiKey.AlterConfigs] = (0, 2),
            [ApiKey.IncrementalAlterConfigs] = (0, 1),
        });
    }

    [Fact]
    public async Task ApiVersions_UnsupportedVersion_AnswersV0ShapeWithUnsupportedVersionAndKeepsConnection()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.Frame(ApiKey.ApiVersions, 9, 1, w => { w.WriteCompactString("x"); w.WriteCompactString("y"); w.WriteEmptyTaggedFields(); }, flexible: true));
        var (correlation, body) = (await client.ReadAsync())!.Value;

        correlation.Should().Be(1);
        body.Should().Equal(new byte[] { 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3 });

        await client.SendAsync(RequestFrames.ApiVersions(0, 2));
        (await client.ReadAsync())!.Value.CorrelationId.Should().Be(2);
    }

    [Fact]
    public async Task PipelinedRequests_AnsweredInRequestOrderAndAcksZeroGetsNoResponse()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var topic = UniqueTopic();

        await client.SendAsync(
        [
            .. RequestFrames.Metadata(10, topic),
            .. RequestFrames.Fetch(11, topic, 0, 0, maxWaitMs: 300),
            .. RequestFrames.Produce(12, 0, topic, 0, TestBatches.Build(2)),
            .. RequestFrames.ApiVersions(1, 13),
            .. RequestFrames.Produce(14, -1, topic, 0, TestBatches.Build(3)),
            .. RequestFrames.ListOffsets(15, topic, -1),
        ]);

        var order = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            order.Add((await client.ReadAsync())!.Value.CorrelationId);
        }

        order.Should().Equal(10, 11, 13, 14, 15);
        broker.GetEndOffset(topic, 0).Should().Be(5);
    }

    [Fact]
    public async Task Produce_CorruptCrc_AnswersCorruptMessageAndStoresNothing()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        var batch = TestBatches.Build(3);
        batch[^1] ^= 1;

        await client.SendAsync(RequestFrames.Produce(1, -1, topic, 0, batch));
        var body = (await client.ReadAsync())!.Value.Body;

        var reader = new KafkaReader(body);
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadString().Should().Be(topic);
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadInt32().Should().Be(0);
        ((ErrorCode)reader.ReadInt16()).Should().Be(ErrorCode.CorruptMessage);
        broker.GetEndOffset(topic, 0).Should().Be(0);
    }

    [Fact]
    public async Task Produce_IdempotentRetryAndGap_DuplicateGetsOriginalOffsetGapIsRejected()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        var first = TestBatches.Build(3, producerId: 77, producerEpoch: 0, baseSequence: 0);

        await client.SendAsync([.. RequestFrames.Produce(1, -1, topic, 0, first), .. RequestFrames.Produce(2, -1, topic, 0, first), .. RequestFrames.Produce(3, -1, topic, 0, TestBatches.Build(1, 77, 0, 9)), .. RequestFrames.Produce(4, -1, topic, 0, TestBatches.Build(1, 77, 1, 0))]);

        var results = new List<(ErrorCode Error, long Offset)>();
        for (var i = 0; i < 4; i++)
        {
            var reader = new KafkaReader((await client.ReadAsync())!.Value.Body);
            reader.ReadArrayLength();
            reader.ReadString();
            reader.ReadArrayLength();
            reader.ReadInt32();
            results.Add(((ErrorCode)reader.ReadInt16(), reader.ReadInt64()));
        }

        results.Should().Equal((ErrorCode.None, 0L), (ErrorCode.None, 0L), (ErrorCode.OutOfOrderSequenceNumber, -1L), (ErrorCode.None, 3L));
        broker.GetEndOffset(topic, 0).Should().Be(4);
    }

    [Fact]
    public async Task Fetch_EmptyPartition_WaitsThenAnswersWithZeroLengthRecords()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);

        await client.SendAsync(RequestFrames.Fetch(5, topic, 0, 0, maxWaitMs: 200));
        var body = (await client.ReadAsync())!.Value.Body;

        var reader = new KafkaReader(body);
        reader.ReadInt32();
        reader.ReadInt16().Should().Be(0);
        reader.ReadInt32().Should().Be(0);
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadString().Should().Be(topic);
        reader.ReadArrayLength().Should().Be(1);
        reader.ReadInt32().Should().Be(0);
        reader.ReadInt16().Should().Be(0);
        reader.ReadInt64().Should().Be(0, "high watermark");
        reader.ReadInt64().Should().Be(0, "last stable offset");
        reader.ReadInt64().Should().Be(0, "log start offset");
        reader.ReadArrayLength().Should().Be(0, "aborted transactions");
        reader.ReadInt32().Should().Be(-1, "preferred read replica");
        reader.ReadInt32().Should().Be(0, "records must be empty, never null");
        reader.End.Should().BeTrue("librdkafka rejects trailing bytes");
    }

    [Fact]
    public async Task Fetch_LongPoll_IsWokenByProduceOnAnotherConnectionAndDoesNotBlockOthers()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        await using var fetcher = await RawKafkaClient.ConnectAsync(broker);
        await using var other = await RawKafkaClient.ConnectAsync(broker);

        await fetcher.SendAsync(RequestFrames.Fetch(1, topic, 0, 0, maxWaitMs: 120_000));
        var pendingFetch = fetcher.ReadAsync(TimeSpan.FromSeconds(60));
        await other.SendAsync(RequestFrames.Metadata(2, topic));
        (await other.ReadAsync())!.Value.CorrelationId.Should().Be(2);
        pendingFetch.IsCompleted.Should().BeFalse("the fetch is held until data arrives");

        await other.SendAsync(RequestFrames.Produce(3, 1, topic, 0, TestBatches.Build(4)));
        (await other.ReadAsync())!.Value.CorrelationId.Should().Be(3);

        var fetched = await pendingFetch;
        fetched.Should().NotBeNull("the held fetch must be answered as soon as data arrives, long before MaxWait");
        fetched!.Value.Body.Length.Should().BeGreaterThan(TestBatches.Build(4).Length);
    }

    [Fact]
    public async Task Fetch_OffsetAboveHighWatermark_AnswersOffsetOutOfRangeImmediately()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);

        await client.SendAsync(RequestFrames.Fetch(1, topic, 0, 50, maxWaitMs: 120_000));
        var body = (await client.ReadAsync(TimeSpan.FromSeconds(30)))!.Value.Body;

        var reader = new KafkaReader(body);
        reader.ReadInt32();
        reader.ReadInt16();
        reader.ReadInt32();
        reader.ReadArrayLength();
        reader.ReadString();
        reader.ReadArrayLength();
        reader.ReadInt32();
        ((ErrorCode)reader.ReadInt16()).Should().Be(ErrorCode.OffsetOutOfRange);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(3)]
    [InlineData(200 * 1024 * 1024)]
    public async Task Frame_BadSize_ClosesOnlyThatConnection(int size)
    {
        await using var broker = await StartBrokerAsync();
        await using var bad = await RawKafkaClient.ConnectAsync(broker);
        await using var good = await RawKafkaClient.ConnectAsync(broker);
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, size);

        await bad.SendAsync([.. prefix, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        (await bad.IsClosedByBrokerAsync()).Should().BeTrue();
        await good.SendAsync(RequestFrames.ApiVersions(2, 9));
        (await good.ReadAsync())!.Value.CorrelationId.Should().Be(9);
    }

    [Fact]
    public async Task Request_UnknownApiKey_ClosesTheConnection()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync(RequestFrames.Frame((ApiKey)999, 0, 1, _ => { }));

        (await client.IsClosedByBrokerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task Request_TruncatedBody_ClosesTheConnection()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);
        var frame = RequestFrames.Metadata(1, "abc");
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4 - 3);

        await client.SendAsync(frame[..^3]);

        (await client.IsClosedByBrokerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task InitProducerId_EachCall_ReturnsNewProducerIdWithEpochZero()
    {
        await using var broker = await StartBrokerAsync();
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        await client.SendAsync([.. RequestFrames.InitProducerId(1), .. RequestFrames.InitProducerId(2)]);
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var reader = new KafkaReader((await client.ReadAsync())!.Value.Body);
            reader.ReadInt32();
            reader.ReadInt16().Should().Be(0);
            ids.Add(reader.ReadInt64());
            reader.ReadInt16().Should().Be(0);
        }

        ids.Distinct().Should().HaveCount(2);
    }

    [Fact]
    public async Task PipelinedFramesBehindAHeldRequest_BeyondTheBudget_BrokerStopsReadingThatConnectionOnly()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { MaxRequestBytes = 64 * 1024 });
        var topic = UniqueTopic();
        var idle = UniqueTopic();
        broker.CreateTopic(topic, 1);
        broker.CreateTopic(idle, 1);
        await using var greedy = await RawKafkaClient.ConnectAsync(broker);
        var frame = RequestFrames.Produce(2, 1, topic, 0, TestBatches.Build(1000));
        frame.Length.Should().BeLessThan(64 * 1024);

        // A held fetch keeps every later response (and so every later frame) queued on this connection.
        await greedy.SendAsync(RequestFrames.Fetch(1, idle, 0, 0, maxWaitMs: 120_000));
        var sending = Task.Run(
            async () =>
            {
                for (var i = 0; i < 2000; i++)
                {
                    await greedy.SendAsync(frame);
                }
            },
            TestContext.Current.CancellationToken);
        await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken));

        await using var other = await RawKafkaClient.ConnectAsync(broker);
        await other.SendAsync(RequestFrames.ApiVersions(2, 5));
        (await other.ReadAsync())!.Value.CorrelationId.Should().Be(5);
        sending.IsCompleted.Should().BeFalse("the broker must stop reading instead of buffering every frame behind the held fetch");
        broker.GetEndOffset(topic, 0).Should().BeLessThanOrEqualTo(10 * 1000, "only about one budget's worth of frames was read");
    }

    [Fact]
    public async Task ApiVersionsV3_CompactLengthBeyondIntMax_ClosesConnectionWithWarningOnly()
    {
        var logs = new RecordingLoggerFactory();
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { LoggerFactory = logs });
        await using var client = await RawKafkaClient.ConnectAsync(broker);

        // ClientSoftwareName length as uvarint 0xFFFFFFFF (5 bytes).
        await client.SendAsync(RequestFrames.Frame(ApiKey.ApiVersions, 3, 1, w => w.WriteRaw([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0]), flexible: true));

        (await client.IsClosedByBrokerAsync()).Should().BeTrue();
        logs.Entries.Should().NotContain(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        logs.Entries.Should().Contain(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("exceeds the largest frame"));
    }
}
