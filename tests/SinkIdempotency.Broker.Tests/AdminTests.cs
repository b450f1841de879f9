using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static SinkIdempotency.Broker.Tests.BrokerTestKit;

namespace SinkIdempotency.Broker.Tests;

public sealed class AdminTests
{
    [Fact]
    public async Task CreateTopicsAsync_WithPartitionsAndConfigs_CreatesTopicAndDescribeConfigsShowsOverride()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topic = UniqueTopic();

        await admin.CreateTopicsAsync(
        [
            new TopicSpecification
            {
                Name = topic,
                NumPartitions = 4,
                ReplicationFactor = 1,
                Configs = new Dictionary<string, string> { ["retention.ms"] = "12345", ["cleanup.policy"] = "compact" },
            },
        ]);

        broker.GetTopic(topic)!.Partitions.Should().HaveCount(4);
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        var entries = described.Single().Entries;
        entries["retention.ms"].Value.Should().Be("12345");
        entries["retention.ms"].Source.Should().Be(ConfigSource.DynamicTopicConfig);
        entries["cleanup.policy"].Value.Should().Be("compact");
        entries["max.message.bytes"].Value.Should().Be("1048588");
        entries["max.message.bytes"].IsDefault.Should().BeTrue();
        entries.Should().HaveCountGreaterThan(20);
    }

    [Fact]
    public async Task CreateTopicsAsync_DefaultPartitionsAndReplication_UsesBrokerDefault()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { DefaultPartitions = 3 });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topic = UniqueTopic();

        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic }]);

        broker.GetTopic(topic)!.Partitions.Should().HaveCount(3);
    }

    [Fact]
    public async Task CreateTopicsAsync_ExistingTopicAndInvalidOnes_ReportsEachError()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var existing = UniqueTopic();
        broker.CreateTopic(existing, 1);

        var act = () => admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = existing, NumPartitions = 1 },
            new TopicSpecification { Name = "bad name!", NumPartitions = 1 },
            new TopicSpecification { Name = UniqueTopic(), NumPartitions = 1, Configs = new Dictionary<string, string> { ["no.such.config"] = "1" } },
            new TopicSpecification { Name = UniqueTopic(), NumPartitions = 1, ReplicationFactor = 3 },
        ]);

        var error = (await act.Should().ThrowAsync<CreateTopicsException>()).Which;
        error.Results.Select(r => r.Error.Code).Should().Equal(
            ErrorCode.TopicAlreadyExists, ErrorCode.TopicException, ErrorCode.InvalidConfig, ErrorCode.InvalidReplicationFactor);
        broker.TopicNames.Should().ContainSingle();
    }

    [Fact]
    public async Task CreateTopicsAsync_ValidateOnly_DoesNotCreate()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        await admin.CreateTopicsAsync([new TopicSpecification { Name = UniqueTopic(), NumPartitions = 2 }], new CreateTopicsOptions { ValidateOnly = true });

        broker.TopicNames.Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteTopicsAsync_ExistingAndUnknown_DeletesDataAndReportsUnknown()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topic = UniqueTopic();
        await ProduceConsumeTests.ProduceValuesAsync(broker, topic, 3);

        await admin.DeleteTopicsAsync([topic]);
        broker.GetTopic(topic).Should().BeNull();

        var act = () => admin.DeleteTopicsAsync(["never-existed"]);
        (await act.Should().ThrowAsync<DeleteTopicsException>()).Which.Results.Single().Error.Code.Should().Be(ErrorCode.UnknownTopicOrPart);
    }

    [Fact]
    public async Task DescribeConfigsAsync_Broker_ReportsNodeAndDefaults()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { DefaultPartitions = 5 });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }]);

        var entries = described.Single().Entries;
        entries["num.partitions"].Value.Should().Be("5");
        entries["broker.id"].Value.Should().Be("1");
        entries["advertised.listeners"].Value.Should().Be($"PLAINTEXT://{broker.BootstrapServers}");
    }

    [Fact]
    public async Task GetMetadata_ReportsThisBrokerAsLeaderAndController()
    {
        await using var broker = await StartBrokerAsync();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 2);

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        var cluster = await admin.DescribeClusterAsync();

        metadata.Brokers.Should().ContainSingle().Which.Should().Match<BrokerMetadata>(b => b.BrokerId == 1 && b.Host == "127.0.0.1" && b.Port == broker.Port);
        metadata.Topics.Should().ContainSingle(t => t.Topic == topic).Which.Partitions.Should().OnlyContain(p => p.Leader == 1);
        cluster.ClusterId.Should().Be("SinkIdempotencyEmbedded");
        cluster.Controller!.Id.Should().Be(1);
    }

    [Fact]
    public async Task Produce_UnknownTopicWithAutoCreateOff_FailsWithUnknownTopic()
    {
        await using var broker = await StartBrokerAsync(new KafkaBrokerOptions { AutoCreateTopics = false });
        using var producer = new ProducerBuilder<Null, string>(Producer(broker, c => c.MessageTimeoutMs = 3000)).Build();

        var act = () => producer.ProduceAsync(UniqueTopic(), new Message<Null, string> { Value = "x" }, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ProduceException<Null, string>>()).Which.Error.Code.Should().BeOneOf(ErrorCode.UnknownTopicOrPart, ErrorCode.Local_UnknownTopic, ErrorCode.Local_MsgTimedOut);
        broker.TopicNames.Should().BeEmpty();
    }

    [Fact]
    public async Task Produce_BatchLargerThanTopicMaxMessageBytes_FailsWithMessageTooLarge()
    {
        await using var broker = await StartBrokerAsync();
        var topic = UniqueTopic();
        broker.CreateTopic(topic, 1, new Dictionary<string, string?> { ["max.message.bytes"] = "2000" });
        using var producer = new ProducerBuilder<Null, string>(Producer(broker)).Build();

        var act = () => producer.ProduceAsync(topic, new Message<Null, string> { Value = new string('z', 5000) }, TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<ProduceException<Null, string>>()).Which.Error.Code.Should().Be(ErrorCode.MsgSizeTooLarge);
        broker.GetEndOffset(topic, 0).Should().Be(0);
    }
}
