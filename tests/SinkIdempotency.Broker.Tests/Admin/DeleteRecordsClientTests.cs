using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests.Admin;

/// <summary>DeleteRecords (API 21) through Confluent.Kafka's AdminClient, and what consumers see afterwards.</summary>
public sealed class DeleteRecordsClientTests
{
    [Fact]
    public async Task DeleteRecordsAsync_OffsetInsideLog_MovesLogStartAndConsumersStartThere()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 10);

        var results = await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 4)]);

        results.Should().ContainSingle().Which.Offset.Value.Should().Be(4, "the result carries the new low watermark");
        broker.GetTopic(topic)!.Partitions[0].LogStartOffset.Should().Be(4);
        using var consumer = new ConsumerBuilder<Null, string>(Consumer(broker)).Build();
        consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), Deadline).Low.Value.Should().Be(4, "ListOffsets earliest answers the log start offset");
        consumer.Assign(new TopicPartitionOffset(topic, 0, 1));
        var consumed = ConsumeExactly(consumer, 6);
        consumed.Select(r => r.Offset.Value).Should().Equal(4, 5, 6, 7, 8, 9);
        broker.GetLogDeletions().Should().ContainSingle().Which.Should().Match<BrokerLogDeletion>(d =>
            d.Reason == BrokerLogDeletionReason.DeleteRecords && d.LogStartOffsetBefore == 0 && d.LogStartOffsetAfter == 4 && d.ConfigName == null);
    }

    [Fact]
    public async Task DeleteRecordsAsync_HighWatermarkOffset_DeletesEverythingAndOlderOffsetIsOutOfRange()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 5);

        var results = await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, Offset.End)]);

        results.Single().Offset.Value.Should().Be(5);
        using var consumer = new ConsumerBuilder<Null, string>(Consumer(broker, c => c.AutoOffsetReset = AutoOffsetReset.Error)).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, 2));
        var failure = ConsumeUntilError(consumer);
        failure.Should().NotBeNull("fetching below the log start offset is OFFSET_OUT_OF_RANGE, which auto.offset.reset=error surfaces");
        failure!.Error.Code.Should().Be(ErrorCode.Local_AutoOffsetReset);
    }

    [Fact]
    public async Task DeleteRecordsAsync_BadOffsetsUnknownTopicAndCompactedTopic_ReportKafkasErrorsPerPartition()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        var compacted = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 3);
        broker.CreateTopic(compacted, 1, new Dictionary<string, string?> { ["cleanup.policy"] = "compact" });

        var act = () => admin.DeleteRecordsAsync(
        [
            new TopicPartitionOffset(topic, 0, 99),
            new TopicPartitionOffset(compacted, 0, 0),
            new TopicPartitionOffset("no-such-topic", 0, 0),
        ]);

        var reports = (await act.Should().ThrowAsync<DeleteRecordsException>()).Which.Results;
        reports.Single(r => r.Topic == topic).Error.Code.Should().Be(ErrorCode.OffsetOutOfRange);
        reports.Single(r => r.Topic == compacted).Error.Code.Should().Be(ErrorCode.PolicyViolation);
        reports.Single(r => r.Topic == "no-such-topic").Error.Code.Should().Be(ErrorCode.UnknownTopicOrPart);
        broker.GetTopic(topic)!.Partitions[0].LogStartOffset.Should().Be(0);
    }

    [Fact]
    public async Task DeleteRecordsAsync_OffsetBelowCurrentStart_ChangesNothingAndReportsCurrentStart()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = AdminFor(broker);
        var topic = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 6);
        await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 4)]);

        var results = await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 2)]);

        results.Single().Offset.Value.Should().Be(4);
        broker.GetLogDeletions().Should().ContainSingle("moving the start backwards is not a deletion");
    }

    /// <summary>Builds an admin client for the broker (librdkafka always asks DescribeConfigs for synonyms).</summary>
    internal static IAdminClient AdminFor(KafkaBroker broker) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private static ConsumeException? ConsumeUntilError(IConsumer<Null, string> consumer)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } unexpected)
                {
                    throw new InvalidOperationException($"Consumed offset {unexpected.Offset} below the log start offset.");
                }
            }
            catch (ConsumeException ex)
            {
                return ex;
            }
        }

        return null;
    }
}
