using System.Net.Sockets;
using Confluent.Kafka;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Tests.Kafka;

public sealed class LibrdkafkaMockClusterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ProduceAndConsume_RecordsComeBackFromTheMock()
    {
        using var cluster = LibrdkafkaMockCluster.Start();
        await cluster.CreateTopicAsync("orders", 2, null, Token);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 6; i++)
            {
                await producer.ProduceAsync(new TopicPartition("orders", i % 2), new Message<string, string> { Key = "k", Value = "v" + i }, Token);
            }
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "readers", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Assign([new TopicPartitionOffset("orders", 0, Offset.Beginning), new TopicPartitionOffset("orders", 1, Offset.Beginning)]);
        var values = new List<string>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (values.Count < 6 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                values.Add(record.Message.Value);
            }
        }

        values.Should().BeEquivalentTo(["v0", "v1", "v2", "v3", "v4", "v5"]);
        cluster.BootstrapServers.Should().MatchRegex(@"^127\.0\.0\.1:\d+$");
    }

    [Fact]
    public async Task CreateTopicAsync_ThreeBrokers_TopicHasThePartitionsAndEveryBrokerIsListed()
    {
        using var cluster = LibrdkafkaMockCluster.Start(brokers: 3);
        using var probe = new KafkaProbe(cluster.Endpoint);

        await cluster.CreateTopicAsync("three", 5, null, Token);

        (await probe.GetPartitionsAsync("three", Token)).Should().Equal(0, 1, 2, 3, 4);
        cluster.BootstrapServers.Split(',').Should().HaveCount(3).And.OnlyContain(s => s.StartsWith("127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateTopicAsync_Exists_ThrowsAskingForRunSpecificName()
    {
        using var cluster = LibrdkafkaMockCluster.Start();
        await cluster.CreateTopicAsync("dup", 1, null, Token);

        var again = () => cluster.CreateTopicAsync("dup", 1, null, Token);

        (await again.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"Topic 'dup' already exists on the mock cluster at {cluster.BootstrapServers}; the harness only writes to topics it creates*");
    }

    [Fact]
    public async Task DeleteTopicAsync_ExistingThenMissing_TopicIsGoneAndTheSecondDeleteIsNoError()
    {
        using var cluster = LibrdkafkaMockCluster.Start();
        await cluster.CreateTopicAsync("gone", 3, null, Token);

        await cluster.DeleteTopicAsync("gone", Token);
        await cluster.DeleteTopicAsync("gone", Token);

        // Recreating with another partition count proves the first topic no longer exists.
        await cluster.CreateTopicAsync("gone", 1, null, Token);
        using var probe = new KafkaProbe(cluster.Endpoint);
        (await probe.GetPartitionsAsync("gone", Token)).Should().Equal(0);
    }

    [Fact]
    public async Task Dispose_AfterClientsUsedIt_EveryListenerIsClosedAndCallsThrowObjectDisposed()
    {
        var cluster = LibrdkafkaMockCluster.Start(brokers: 2);
        await cluster.CreateTopicAsync("t", 1, null, Token);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("t", new Message<Null, string> { Value = "x" }, Token);
        }

        var ports = cluster.BootstrapServers.Split(',').Select(s => int.Parse(s.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        cluster.Dispose();
        cluster.Dispose();

        foreach (var port in ports)
        {
            using var client = new TcpClient();
            var connect = () => client.Connect("127.0.0.1", port);
            connect.Should().Throw<SocketException>().Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
        }

        var create = () => cluster.CreateTopicAsync("late", 1, null, Token);
        await create.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public void Start_OnLinux_UsesTheNativeLibraryConfluentKafkaLoaded()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/maps, which lists the loaded libraries, exists on Linux only.");
        _ = Library.Version;
        var before = LoadedLibrdkafkaFiles();

        using var cluster = LibrdkafkaMockCluster.Start();

        // One librdkafka file mapped, before and after: the mock runs in the copy Confluent.Kafka's clients use.
        before.Should().ContainSingle();
        LoadedLibrdkafkaFiles().Should().Equal(before);
        Path.GetFileNameWithoutExtension(before[0]).Should().Be(LibrdkafkaMockCluster.NativeLibraryName);
    }

    [Fact]
    public void Start_BrokerCountOutOfRange_ThrowsNamingTheArgument()
    {
        var none = () => LibrdkafkaMockCluster.Start(brokers: 0);
        var tooMany = () => LibrdkafkaMockCluster.Start(brokers: 17);
        var negativeDelay = () => LibrdkafkaMockCluster.Start(initialRebalanceDelay: TimeSpan.FromSeconds(-1));

        none.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("brokers");
        tooMany.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("brokers");
        negativeDelay.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("initialRebalanceDelay");
    }

    private static List<string> LoadedLibrdkafkaFiles() =>
        [.. File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[^1]).Contains("librdkafka", StringComparison.Ordinal))
            .Select(fields => fields[^1])
            .Distinct(StringComparer.Ordinal)];
}
