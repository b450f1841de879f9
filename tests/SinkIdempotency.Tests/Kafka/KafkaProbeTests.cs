using System.Text;
using Confluent.Kafka;
using SinkIdempotency.Broker;
using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Kafka;

public sealed class KafkaProbeTests : IAsyncLifetime
{
    private readonly KafkaBroker _broker = new(new KafkaBrokerOptions { AutoCreateTopics = false });
    private KafkaProbe _probe = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _broker.StartAsync(Token);
        _probe = new KafkaProbe(new KafkaEndpoint(_broker.BootstrapServers));
    }

    public async ValueTask DisposeAsync()
    {
        _probe.Dispose();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task CreateTopicAsync_New_CreatesPartitions()
    {
        await _probe.CreateTopicAsync("orders-run1", 3, cancellationToken: Token);

        (await _probe.GetPartitionsAsync("orders-run1", Token)).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task CreateTopicAsync_Exists_ThrowsAskingForRunSpecificName()
    {
        await _probe.CreateTopicAsync("dup", 1, cancellationToken: Token);

        var again = () => _probe.CreateTopicAsync("dup", 1, cancellationToken: Token);

        (await again.Should().ThrowAsync<InvalidOperationException>()).WithMessage("Topic 'dup' already exists on*use a run-specific name*");
    }

    [Fact]
    public async Task ProduceWorkloadAsync_Keyed_LedgerMatchesBrokerLogAndEndOffsets()
    {
        await _probe.CreateTopicAsync("keyed", 3, cancellationToken: Token);
        var ledger = new Ledger();
        var workload = new WorkloadGenerator(new ScenarioWorkload { Records = 500, Keys = 10 });

        var summary = await _probe.ProduceWorkloadAsync("keyed", workload, ledger, Token);

        summary.Acknowledged.Should().Be(500);
        var entries = ledger.Snapshot();
        entries.Should().HaveCount(500);
        entries.Select(e => e.EventId).Should().BeEquivalentTo(workload.Generate().Select(r => r.EventId));
        entries.Select(e => e.Position).Should().OnlyHaveUniqueItems();
        entries.GroupBy(e => e.Key).Should().OnlyContain(g => g.Select(e => e.Partition).Distinct().Count() == 1, "one key always lands on one partition");
        var ends = await _probe.GetEndOffsetsAsync("keyed", Token);
        ends.Values.Sum().Should().Be(500);
        foreach (var (partition, end) in ends)
        {
            entries.Where(e => e.SourcePartition == partition).Select(e => e.Offset).Order().Should().Equal(Enumerable.Range(0, (int)end).Select(i => (long)i));
            summary.RecordsPerPartition.GetValueOrDefault(partition.Partition).Should().Be(end);
        }
    }

    [Fact]
    public async Task ProduceWorkloadAsync_Records_ValuesOnBrokerCarryTheLedgersEventIds()
    {
        await _probe.CreateTopicAsync("verify", 1, cancellationToken: Token);
        var ledger = new Ledger();
        var workload = new WorkloadGenerator(new ScenarioWorkload { Records = 20, Format = RecordFormat.PlainJson, Keys = 0 });

        await _probe.ProduceWorkloadAsync("verify", workload, ledger, Token);

        var onBroker = await _probe.ReadDeadLetterTopicAsync("verify", Token);
        onBroker.Should().HaveCount(20);
        var byOffset = ledger.Snapshot().ToDictionary(e => e.Offset);
        foreach (var record in onBroker)
        {
            using var json = System.Text.Json.JsonDocument.Parse(record.Value!);
            json.RootElement.GetProperty("event_id").GetString().Should().Be(byOffset[record.Position.Offset].EventId);
            ValueHash.Compute(json.RootElement.GetProperty("payload").GetString()!).Should().Be(byOffset[record.Position.Offset].ValueHash);
        }
    }

    [Fact]
    public async Task ProduceWorkloadAsync_Rate_TakesAtLeastCountOverRate()
    {
        await _probe.CreateTopicAsync("paced", 1, cancellationToken: Token);
        var workload = new WorkloadGenerator(new ScenarioWorkload { Records = 21, RecordsPerSecond = 20, Keys = 0 });

        var summary = await _probe.ProduceWorkloadAsync("paced", workload, new Ledger(), Token);

        (summary.Finished - summary.Started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task GetConnectorCommittedOffsetsAsync_GroupCommitted_ReadsConnectGroup()
    {
        await _probe.CreateTopicAsync("committed", 2, cancellationToken: Token);
        await _probe.ProduceWorkloadAsync("committed", new WorkloadGenerator(new ScenarioWorkload { Records = 40, Keys = 0 }), new Ledger(), Token);
        var config = new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "connect-pg-sink", EnableAutoCommit = false };
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build())
        {
            consumer.Commit([new TopicPartitionOffset("committed", 0, 7), new TopicPartitionOffset("committed", 1, 3)]);
        }

        var committed = await _probe.GetConnectorCommittedOffsetsAsync("pg-sink", Token);

        committed.Should().BeEquivalentTo(new Dictionary<SourcePartition, long> { [new("committed", 0)] = 7, [new("committed", 1)] = 3 });
    }

    [Fact]
    public async Task GetConnectorCommittedOffsetsAsync_UnknownGroup_ReturnsEmpty()
    {
        var committed = await _probe.GetConnectorCommittedOffsetsAsync("never-ran", Token);

        committed.Should().BeEmpty();
    }

    [Fact]
    public async Task ReadDeadLetterTopicAsync_ConnectHeaders_MapsToOriginalPosition()
    {
        await _probe.CreateTopicAsync("dlq", 1, cancellationToken: Token);
        var headers = new Dictionary<string, byte[]?>
        {
            ["__connect.errors.topic"] = Encoding.UTF8.GetBytes("orders"),
            ["__connect.errors.partition"] = Encoding.UTF8.GetBytes("2"),
            ["__connect.errors.offset"] = Encoding.UTF8.GetBytes("41"),
            ["__connect.errors.stage"] = Encoding.UTF8.GetBytes("VALUE_CONVERTER"),
            ["__connect.errors.exception.class.name"] = Encoding.UTF8.GetBytes("org.apache.kafka.connect.errors.DataException"),
            ["__connect.errors.exception.message"] = Encoding.UTF8.GetBytes("JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields"),
        };
        await _probe.ProduceRawAsync("dlq", Encoding.UTF8.GetBytes("k"), [0xde, 0xad], headers, cancellationToken: Token);
        await _probe.ProduceRawAsync("dlq", null, Encoding.UTF8.GetBytes("no headers"), cancellationToken: Token);

        var records = await _probe.ReadDeadLetterTopicAsync("dlq", Token);

        records.Should().HaveCount(2);
        records[0].Value.Should().Equal(0xde, 0xad);
        records[0].Header("__connect.errors.stage").Should().Be("VALUE_CONVERTER");
        var mapped = records[0].ToDeadLetterRecord();
        mapped!.Source.Should().Be(new SourcePosition("orders", 2, 41));
        mapped.ErrorClass.Should().Be("org.apache.kafka.connect.errors.DataException");
        mapped.ErrorMessage.Should().StartWith("JsonConverter with schemas.enable");
        records[1].ToDeadLetterRecord().Should().BeNull();
    }

    [Fact]
    public async Task ReadDeadLetterTopicAsync_EmptyTopic_ReturnsEmpty()
    {
        await _probe.CreateTopicAsync("dlq-empty", 1, cancellationToken: Token);

        (await _probe.ReadDeadLetterTopicAsync("dlq-empty", Token)).Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteTopicsAsync_Created_RemovesTopic()
    {
        await _probe.CreateTopicAsync("gone", 1, cancellationToken: Token);

        await _probe.DeleteTopicsAsync(["gone"], Token);

        _broker.TopicNames.Should().NotContain("gone");
    }
}
