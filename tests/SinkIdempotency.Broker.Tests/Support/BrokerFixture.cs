using Confluent.Kafka;

namespace SinkIdempotency.Broker.Tests.Support;

/// <summary>Starts a broker for one test and builds Confluent.Kafka configs pointing at it.</summary>
internal sealed class BrokerFixture : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    private BrokerFixture(KafkaBroker broker)
    {
        Broker = broker;
    }

    public KafkaBroker Broker { get; }

    public string Bootstrap => Broker.BootstrapServers;

    public static async Task<BrokerFixture> StartAsync(KafkaBrokerOptions? options = null)
    {
        var broker = new KafkaBroker(options);
        await broker.StartAsync(TestContext.Current.CancellationToken);
        return new BrokerFixture(broker);
    }

    public ConsumerConfig ConsumerConfig(string groupId, string clientId, PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range) => new()
    {
        BootstrapServers = Bootstrap,
        GroupId = groupId,
        ClientId = clientId,
        GroupProtocol = GroupProtocol.Classic,
        PartitionAssignmentStrategy = strategy,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 250,
        MaxPollIntervalMs = 60_000,
        TopicMetadataRefreshIntervalMs = 1000,
        ReconnectBackoffMs = 50,
        ReconnectBackoffMaxMs = 500,
    };

    public ConsumerRunner StartConsumer(string groupId, string clientId, string topic, PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range, bool commitEach = false)
    {
        var runner = new ConsumerRunner(ConsumerConfig(groupId, clientId, strategy), topic, commitEach);
        _owned.Add(runner);
        return runner;
    }

    public IAdminClient Admin()
    {
        var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();
        _owned.Add(admin);
        return admin;
    }

    public async Task ProduceAsync(string topic, int count, int partitions = 1)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Bootstrap, LingerMs = 1 }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, i % partitions), new Message<string, string> { Key = "k" + i, Value = "v" + i }, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        await Broker.DisposeAsync();
    }
}
