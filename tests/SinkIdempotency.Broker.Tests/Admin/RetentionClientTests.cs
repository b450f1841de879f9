using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Time.Testing;
using static SinkIdempotency.Broker.Tests.Admin.DeleteRecordsClientTests;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Admin;

/// <summary>Retention configured through CreateTopics and enforced by the broker, as Confluent.Kafka clients see it.</summary>
public sealed class RetentionClientTests
{
    [Fact]
    public async Task ApplyRetention_TopicCreatedWithRetentionMs_DeletesExpiredSegmentsAndConsumersStartAtTheNewLogStart()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = topic,
                NumPartitions = 1,
                Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["segment.ms"] = "60000" },
            },
        ]);
        var now = DateTimeOffset.UtcNow;
        await ProduceAtAsync(broker, topic, now.AddHours(-3), now.AddHours(-2), now.AddMinutes(-1));

        var deletions = broker.ApplyRetention();

        deletions.Should().ContainSingle().Which.Should().Match<BrokerLogDeletion>(d =>
            d.Topic == topic && d.Reason == BrokerLogDeletionReason.RetentionTime && d.ConfigName == "retention.ms" && d.ConfigValue == 3_600_000
            && d.Segments == 2 && d.LogStartOffsetBefore == 0 && d.LogStartOffsetAfter == 6);
        using var consumer = new ConsumerBuilder<Null, string>(Consumer(broker, c => c.GroupId = "after-retention")).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Deadline);
        (watermarks.Low.Value, watermarks.High.Value).Should().Be((6L, 9L));
        consumer.Subscribe(topic);
        ConsumeExactly(consumer, 3).Select(r => r.Message.Value).Should().Equal("2-0", "2-1", "2-2");
        consumer.Close();
    }

    [Fact]
    public async Task RetentionCheckInterval_Elapsed_AppliesRetentionWithoutBeingAsked()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { TimeProvider = time, RetentionCheckInterval = TimeSpan.FromMinutes(5) });
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["retention.ms"] = "60000" });
        await ProduceAtAsync(broker, topic, time.GetUtcNow());

        time.Advance(TimeSpan.FromMinutes(4));
        broker.GetLogDeletions().Should().BeEmpty("the first check is due after five minutes");
        time.Advance(TimeSpan.FromMinutes(1));

        broker.GetLogDeletions().Should().ContainSingle().Which.LogStartOffsetAfter.Should().Be(3);
        broker.GetTopic(topic)!.Partitions[0].LogStartOffset.Should().Be(3);
    }

    [Fact]
    public async Task RetentionCheckInterval_Infinite_DeletesOnlyWhenAsked()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { TimeProvider = time, RetentionCheckInterval = Timeout.InfiniteTimeSpan });
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["retention.ms"] = "60000" });
        await ProduceAtAsync(broker, topic, time.GetUtcNow());

        time.Advance(TimeSpan.FromDays(1));
        broker.GetLogDeletions().Should().BeEmpty();

        broker.ApplyRetention().Should().ContainSingle();
    }

    /// <summary>Produces three records per timestamp, flushing in between so each timestamp is its own batch.</summary>
    private static async Task ProduceAtAsync(KafkaBroker broker, string topic, params DateTimeOffset[] timestamps)
    {
        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();
        for (var t = 0; t < timestamps.Length; t++)
        {
            for (var i = 0; i < 3; i++)
            {
                await producer.ProduceAsync(
                    new TopicPartition(topic, 0),
                    new Message<Null, string> { Value = $"{t}-{i}", Timestamp = new Timestamp(timestamps[t]) },
                    TestContext.Current.CancellationToken);
            }
        }
    }
}
