using System.Text;
using Confluent.Kafka;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests;

public sealed class ProduceConsumeTests
{
    [Theory]
    [InlineData(Acks.None)]
    [InlineData(Acks.Leader)]
    [InlineData(Acks.All)]
    public async Task Produce_AnyAcks_StoresEveryRecordInOrder(Acks acks)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        using (var producer = new ProducerBuilder<Null, string>(Producer(broker, c => c.Acks = acks)).Build())
        {
            for (var i = 0; i < 200; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = "m" + i });
            }

            producer.Flush(Deadline).Should().Be(0);
        }

        (await EventuallyAsync(() => broker.GetTopic(topic)?.Partitions[0].HighWatermark == 200)).Should().BeTrue();
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        ConsumeExactly(consumer, 200).Select(r => r.Message.Value).Should().Equal(Enumerable.Range(0, 200).Select(i => "m" + i));
    }

    [Fact]
    public async Task ProduceAsync_AcksAll_ReportsAssignedOffsets()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        using var producer = new ProducerBuilder<Null, string>(Producer(broker, c => c.Acks = Acks.All)).Build();

        var offsets = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var report = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "v" }, TestContext.Current.CancellationToken);
            report.Status.Should().Be(PersistenceStatus.Persisted);
            offsets.Add(report.Offset.Value);
        }

        offsets.Should().Equal(0, 1, 2, 3, 4);
    }

    [Fact]
    public async Task Consume_Assigned_ReadsKeysValuesHeadersAndTimestampsInOrder()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        var baseTime = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using (var producer = new ProducerBuilder<string, string>(Producer(broker)).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                var headers = new Headers { { "h", Encoding.UTF8.GetBytes("hv" + i) }, { "n", null } };
                producer.Produce(topic, new Message<string, string>
                {
                    Key = "k" + i,
                    Value = "v" + i,
                    Headers = headers,
                    Timestamp = new Timestamp(baseTime.AddSeconds(i)),
                });
            }

            producer.Produce(topic, new Message<string, string> { Key = null!, Value = null! });
            producer.Flush(Deadline).Should().Be(0);
        }

        using var consumer = new ConsumerBuilder<string, string>(Consumer(broker)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var results = ConsumeExactly(consumer, 51);

        results.Should().HaveCount(51);
        for (var i = 0; i < 50; i++)
        {
            var r = results[i];
            r.Offset.Value.Should().Be(i);
            r.Message.Key.Should().Be("k" + i);
            r.Message.Value.Should().Be("v" + i);
            r.Message.Timestamp.UtcDateTime.Should().Be(baseTime.AddSeconds(i));
            r.Message.Timestamp.Type.Should().Be(TimestampType.CreateTime);
            Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h")).Should().Be("hv" + i);
            r.Message.Headers.GetLastBytes("n").Should().BeNull();
        }

        results[50].Message.Key.Should().BeNull();
        results[50].Message.Value.Should().BeNull();
    }

    [Fact]
    public async Task Produce_KeyedToManyPartitions_SameKeyLandsWhereLibrdkafkaPartitionerPutsIt()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { DefaultPartitions = 6 });
        var topic = UniqueTopic();
        var keys = Enumerable.Range(0, 40).Select(i => "customer-" + i).ToList();
        var placed = new Dictionary<string, HashSet<int>>();
        using (var producer = new ProducerBuilder<string, string>(Producer(broker)).Build())
        {
            foreach (var round in Enumerable.Range(0, 3))
            {
                foreach (var key in keys)
                {
                    var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = round.ToString() }, TestContext.Current.CancellationToken);
                    if (!placed.TryGetValue(key, out var set))
                    {
                        placed[key] = set = [];
                    }

                    set.Add(report.Partition.Value);
                }
            }
        }

        broker.GetTopic(topic)!.Partitions.Should().HaveCount(6);
        foreach (var key in keys)
        {
            placed[key].Should().ContainSingle().Which.Should().Be((int)(Crc32(Encoding.UTF8.GetBytes(key)) % 6), $"key {key} uses librdkafka's consistent_random (CRC32) partitioner");
        }

        placed.Values.Select(s => s.Single()).Distinct().Count().Should().BeGreaterThan(1);
        broker.GetTopic(topic)!.Partitions.Sum(p => p.HighWatermark).Should().Be(120);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Produce_Compressed_StoresCompressedBatchesThatRoundTrip(CompressionType codec)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        var value = new string('x', 1000);
        using (var producer = new ProducerBuilder<string, string>(Producer(broker, c => { c.CompressionType = codec; c.LingerMs = 50; })).Build())
        {
            for (var i = 0; i < 500; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = "k" + i, Value = value + i });
            }

            producer.Flush(Deadline).Should().Be(0);
        }

        var partition = broker.GetTopic(topic)!.Partitions[0];
        partition.HighWatermark.Should().Be(500);
        partition.SizeInBytes.Should().BeLessThan(500 * 1000 / 5, "the batches are stored as the producer compressed them");
        using var consumer = new ConsumerBuilder<string, string>(Consumer(broker)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var results = ConsumeExactly(consumer, 500);
        results.Select(r => r.Message.Value).Should().Equal(Enumerable.Range(0, 500).Select(i => value + i));
        results.Select(r => r.Message.Key).Should().Equal(Enumerable.Range(0, 500).Select(i => "k" + i));
    }

    [Fact]
    public async Task Produce_IdempotentProducer_WritesEachRecordOnceAndRecordsProducerState()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        using (var producer = new ProducerBuilder<Null, string>(Producer(broker, c => { c.EnableIdempotence = true; c.LingerMs = 1; })).Build())
        {
            for (var i = 0; i < 2000; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = "i" + i });
            }

            producer.Flush(Deadline).Should().Be(0);
        }

        broker.GetEndOffset(topic, 0).Should().Be(2000);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        ConsumeExactly(consumer, 2000).Select(r => r.Message.Value).Should().Equal(Enumerable.Range(0, 2000).Select(i => "i" + i));
    }

    [Fact]
    public async Task Produce_ManyConcurrentProducers_AllRecordsStoredAndPerProducerOrderKept()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { DefaultPartitions = 3 });
        var topic = UniqueTopic();
        const int Producers = 8;
        const int PerProducer = 500;
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            using var producer = new ProducerBuilder<string, string>(Producer(broker, c => c.EnableIdempotence = p % 2 == 0)).Build();
            for (var i = 0; i < PerProducer; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = "p" + p, Value = $"{p}:{i}" });
            }

            producer.Flush(Deadline).Should().Be(0);
        })));

        broker.GetTopic(topic)!.Partitions.Sum(p => p.HighWatermark).Should().Be(Producers * PerProducer);
        using var consumer = new ConsumerBuilder<string, string>(Consumer(broker)).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = ConsumeExactly(consumer, Producers * PerProducer);
        results.Should().HaveCount(Producers * PerProducer);
        foreach (var group in results.GroupBy(r => r.Message.Key))
        {
            group.Select(r => int.Parse(r.Message.Value.Split(':')[1])).Should().BeInAscendingOrder().And.HaveCount(PerProducer);
        }
    }

    [Fact]
    public async Task Consume_WaitingAtEnd_ReceivesRecordProducedLater()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker, c => c.FetchWaitMaxMs = 5000)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var consumed = Task.Run(() => ConsumeExactly(consumer, 1));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "late" }, TestContext.Current.CancellationToken);

        (await consumed).Should().ContainSingle().Which.Message.Value.Should().Be("late");
    }

    [Fact]
    public async Task Consume_OffsetBeyondEnd_ResetsToEarliest()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        await ProduceValuesAsync(broker, topic, 10);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker, c => c.AutoOffsetReset = AutoOffsetReset.Earliest)).Build();

        consumer.Assign(new TopicPartitionOffset(topic, 0, 1000));

        ConsumeExactly(consumer, 10).Select(r => r.Offset.Value).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public async Task Consume_OffsetBelowLogStart_ResetsToLogStart()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        await ProduceValuesAsync(broker, topic, 10);
        broker.DeleteRecordsBefore(topic, 0, 6);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker, c => c.AutoOffsetReset = AutoOffsetReset.Earliest)).Build();

        consumer.Assign(new TopicPartitionOffset(topic, 0, 2));

        ConsumeExactly(consumer, 4).Select(r => r.Offset.Value).Should().Equal(6, 7, 8, 9);
    }

    [Fact]
    public async Task QueryWatermarkOffsets_AfterProduceAndDeleteRecords_ReportsLogStartAndEnd()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        await ProduceValuesAsync(broker, topic, 7);
        broker.DeleteRecordsBefore(topic, 0, 3);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker)).Build();

        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));

        watermarks.Low.Value.Should().Be(3);
        watermarks.High.Value.Should().Be(7);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task OffsetsForTimes_RecordTimestamps_FindsFirstRecordAtOrAfterEachTime(CompressionType codec)
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        var start = new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var producer = new ProducerBuilder<Null, string>(Producer(broker, c => { c.LingerMs = 10_000; c.CompressionType = codec; })).Build())
        {
            // A linger far longer than the loop: nothing is sent before Flush (which overrides linger.ms), so records share
            // batches however slowly a loaded machine runs the loop, and the lookup must look inside them.
            for (var i = 0; i < 20; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = "r" + i, Timestamp = new Timestamp(start.AddMinutes(i * 2)) });
            }

            producer.Flush(Deadline).Should().Be(0);
        }

        broker.GetTopic(topic)!.Partitions[0].BatchCount.Should().BeLessThan(20, "records share batches, so the lookup must look inside them");
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker)).Build();
        var found = consumer.OffsetsForTimes(
        [
            new TopicPartitionTimestamp(topic, 0, new Timestamp(start)),
            ], TimeSpan.FromSeconds(30));
        found.Single().Offset.Value.Should().Be(0);

        consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start.AddMinutes(7)))], TimeSpan.FromSeconds(30))
            .Single().Offset.Value.Should().Be(4);
        consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start.AddDays(1)))], TimeSpan.FromSeconds(30))
            .Single().Offset.Should().Be(Offset.End);
    }

    [Fact]
    public async Task DisposeAsync_WithClientsConnected_CompletesPromptly()
    {
        var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        await ProduceValuesAsync(broker, topic, 5);
        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "x" }, TestContext.Current.CancellationToken);
        using var consumer = new ConsumerBuilder<Ignore, string>(Consumer(broker, c => c.FetchWaitMaxMs = 10_000)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        ConsumeExactly(consumer, 6).Should().HaveCount(6);
        (await EventuallyAsync(() => broker.ConnectionCount >= 2)).Should().BeTrue();

        var dispose = broker.DisposeAsync().AsTask();

        (await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken))).Should().BeSameAs(dispose, "disposing must not wait for clients to go away");
        broker.ConnectionCount.Should().Be(0);
    }

    internal static async Task ProduceValuesAsync(KafkaBroker broker, string topic, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<Null, string> { Value = "v" + i });
        }

        producer.Flush(Deadline).Should().Be(0);
        (await EventuallyAsync(() => broker.GetEndOffset(topic, 0) == count)).Should().BeTrue();
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
