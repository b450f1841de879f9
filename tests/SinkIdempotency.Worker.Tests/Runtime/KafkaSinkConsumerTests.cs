using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using SinkIdempotency.Worker.Runtime;
using SinkIdempotency.Worker.Tests.Support;
using TopicPartition = SinkIdempotency.Sink.TopicPartition;

namespace SinkIdempotency.Worker.Tests.Runtime;

/// <summary>The Confluent.Kafka adapter against the embedded broker: positions, seeks and pauses behave as Kafka's Java consumer.</summary>
[Collection(WorkerCollection.Name)]
public sealed class KafkaSinkConsumerTests(WorkerEnvironment env)
{
    [Fact]
    public async Task Poll_PausedPartitionsRevokedAndReassigned_StartUnpaused()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("pause");
        var group = "connect-" + topic;
        env.CreateTopic(topic, 2);
        await env.ProduceAsync(topic, 0, 20, partitions: 2);
        var listener = new Listener();
        using var consumer = new KafkaSinkConsumer(Config(group, "a"), NullLogger.Instance);
        consumer.Subscribe([topic], null, listener);
        var records = new List<ConsumedRecord>();
        (await Eventually.TrueAsync(() =>
        {
            records.AddRange(consumer.Poll(TimeSpan.FromMilliseconds(200), 500, () => false));
            return consumer.Assignment.Count == 2;
        })).Should().BeTrue();
        consumer.Pause(consumer.Assignment);
        records.Clear();

        // A second member joins and leaves: both are eager rebalances, so every partition is revoked and assigned again.
        using (var other = new ConsumerBuilder<byte[], byte[]>(Config(group, "b")).Build())
        {
            other.Subscribe(topic);
            (await Eventually.TrueAsync(() =>
            {
                consumer.Poll(TimeSpan.FromMilliseconds(100), 500, () => false);
                other.Consume(TimeSpan.FromMilliseconds(100));
                return other.Assignment.Count == 1 && consumer.Assignment.Count == 1;
            }, TimeSpan.FromSeconds(60))).Should().BeTrue();
            other.Close();
        }

        (await Eventually.TrueAsync(
            () =>
            {
                records.AddRange(consumer.Poll(TimeSpan.FromMilliseconds(200), 500, () => false));
                return records.Select(r => (r.Partition, r.Offset)).Distinct().Count() == 20;
            },
            TimeSpan.FromSeconds(60))).Should().BeTrue("a partition assigned again starts unpaused, as in the Java consumer");
        records.Select(r => r.Partition).Distinct().Should().BeEquivalentTo([0, 1]);
        listener.Revoked.Should().BeGreaterThan(0);
        consumer.Close();
    }

    [Fact]
    public async Task Position_NoCommittedOffset_IsLogStartAndSeekInAssignCallbackApplies()
    {
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("seek");
        env.CreateTopic(topic, 1);
        await env.ProduceAsync(topic, 0, 10);
        var listener = new Listener();
        using var consumer = new KafkaSinkConsumer(Config("connect-" + topic, "a"), NullLogger.Instance);
        listener.OnAssigned = parts =>
        {
            listener.Positions.AddRange(parts.Select(consumer.Position));
            consumer.Seek(parts.First(), 7);
        };
        consumer.Subscribe([topic], null, listener);
        var records = new List<ConsumedRecord>();

        (await Eventually.TrueAsync(() =>
        {
            records.AddRange(consumer.Poll(TimeSpan.FromMilliseconds(200), 500, () => false));
            return records.Count >= 3;
        })).Should().BeTrue();

        listener.Positions.Should().Equal(0L);
        records.Select(r => r.Offset).Should().Equal(7, 8, 9);
        consumer.CommitSync(new Dictionary<TopicPartition, long> { [new TopicPartition(topic, 0)] = 10 });
        env.CommittedOffset("connect-" + topic, topic, 0).Should().Be(10);
        consumer.Close();
    }

    [Fact]
    public async Task Position_NoCommittedOffsetWithAutoOffsetResetLatest_IsLogEndAndOlderRecordsAreSkipped()
    {
        // A connector's consumer.override.auto.offset.reset=latest reaches the consumer config; a worker that started at the
        // log start anyway would replay what real Connect skips (after a DELETE of the offsets, say).
        env.EnsureStarted();
        var topic = WorkerEnvironment.Unique("latest");
        env.CreateTopic(topic, 1);
        await env.ProduceAsync(topic, 0, 10);
        var listener = new Listener();
        var config = Config("connect-" + topic, "a");
        config.Set("auto.offset.reset", "latest");
        using var consumer = new KafkaSinkConsumer(config, NullLogger.Instance);
        listener.OnAssigned = parts => listener.Positions.AddRange(parts.Select(consumer.Position));
        consumer.Subscribe([topic], null, listener);
        (await Eventually.TrueAsync(() =>
        {
            consumer.Poll(TimeSpan.FromMilliseconds(200), 500, () => false);
            return listener.Positions.Count == 1;
        })).Should().BeTrue();

        await env.ProduceAsync(topic, 10, 3);
        var records = new List<ConsumedRecord>();
        (await Eventually.TrueAsync(() =>
        {
            records.AddRange(consumer.Poll(TimeSpan.FromMilliseconds(200), 500, () => false));
            return records.Count >= 3;
        })).Should().BeTrue();

        listener.Positions.Should().Equal(10L);
        records.Select(r => r.Offset).Should().Equal(10, 11, 12);
        consumer.Close();
    }

    private ConsumerConfig Config(string group, string member) => new()
    {
        BootstrapServers = env.BootstrapServers,
        GroupId = group,
        ClientId = "test-" + member,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        GroupProtocol = GroupProtocol.Classic,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        SessionTimeoutMs = 6000,
    };

    private sealed class Listener : IConsumerRebalanceListener
    {
        public List<long> Positions { get; } = [];

        public Action<IReadOnlyCollection<TopicPartition>>? OnAssigned { get; set; }

        public int Revoked { get; private set; }

        public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions) => OnAssigned?.Invoke(partitions);

        public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions) => Revoked++;

        public void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions) => Revoked++;
    }
}
