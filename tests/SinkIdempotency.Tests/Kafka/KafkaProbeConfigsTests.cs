using SinkIdempotency.Broker;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Tests.Kafka;

public sealed class KafkaProbeConfigsTests : IAsyncLifetime
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
    public async Task GetTopicRetentionAsync_ConfiguredTopic_ReadsBothLimitsAndThePartitions()
    {
        await _probe.CreateTopicAsync("orders", 3, configs: new Dictionary<string, string> { ["retention.ms"] = "86400000", ["retention.bytes"] = "1073741824" }, cancellationToken: Token);

        var retention = await _probe.GetTopicRetentionAsync("orders", Token);

        retention.Should().Be(new SinkIdempotency.Assessment.TopicRetention("orders", 3, 86_400_000, 1_073_741_824));
        retention.RetainedBytesLimit.Should().Be(3d * 1_073_741_824, "retention.bytes applies to each partition");
    }

    [Fact]
    public async Task GetTopicRetentionAsync_TopicWithDefaults_ReadsTheBrokerDefaults()
    {
        await _probe.CreateTopicAsync("plain", 1, cancellationToken: Token);

        var retention = await _probe.GetTopicRetentionAsync("plain", Token);

        retention.RetentionMs.Should().Be(604_800_000, "Kafka keeps records 7 days unless told otherwise");
        retention.RetentionBytes.Should().Be(-1);
        retention.RetentionTime.Should().Be(TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task GetTopicRetentionAsync_MissingTopic_ThrowsNamingIt()
    {
        var act = () => _probe.GetTopicRetentionAsync("nowhere", Token);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*'nowhere'*");
    }
}
