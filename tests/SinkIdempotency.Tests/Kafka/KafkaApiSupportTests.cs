using SinkIdempotency.Broker;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Tests.Kafka;

public sealed class KafkaApiSupportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Parse_LibrdkafkaFeatureLines_ReadsEveryAnnouncedApiAndIgnoresTheRest()
    {
        string[] lines =
        [
            "[thrd:127.0.0.1:42751/bootstrap]: 127.0.0.1:42751/bootstrap: Broker API support:",
            "[thrd:127.0.0.1:42751/bootstrap]: 127.0.0.1:42751/bootstrap:   ApiKey Produce (0) Versions 0..10",
            "[thrd:127.0.0.1:42751/bootstrap]: 127.0.0.1:42751/bootstrap:   ApiKey OffsetCommit (8) Versions 0..9",
            "[thrd:127.0.0.1:42751/bootstrap]: 127.0.0.1:42751/bootstrap:   ApiKey ShareAcknowledge (79) Versions 1..1",
            "[thrd:127.0.0.1:42751/bootstrap]: 127.0.0.1:42751/bootstrap:  Feature MsgVer1: Produce (2..32767) supported by broker",
        ];

        var support = KafkaApiSupport.Parse(lines)!;

        support.Apis.Should().HaveCount(3);
        support.Apis[ApiKey.Produce].Should().Be(((short)0, (short)10));
        support.Supports(ApiKey.OffsetCommit).Should().BeTrue();
        support.Supports((ApiKey)79).Should().BeTrue();
        support.Missing(ApiKey.CreateTopics, ApiKey.Produce, ApiKey.DeleteGroups).Should().Equal(ApiKey.CreateTopics, ApiKey.DeleteGroups);
    }

    [Fact]
    public void Parse_TwoBrokers_KeepsOnlyWhatBothServeWithTheNarrowerRange()
    {
        string[] lines =
        [
            "b1:   ApiKey Produce (0) Versions 0..10",
            "b1:   ApiKey DeleteGroups (42) Versions 0..2",
            "b2:   ApiKey Produce (0) Versions 3..9",
        ];

        var support = KafkaApiSupport.Parse(lines)!;

        support.Apis.Keys.Should().Equal(ApiKey.Produce);
        support.Apis[ApiKey.Produce].Should().Be(((short)3, (short)9));
    }

    [Fact]
    public void Parse_NoApiLine_ReturnsNullForUnknown()
    {
        KafkaApiSupport.Parse(["Broker API support:", "something else"]).Should().BeNull();
    }

    [Fact]
    public void Describe_Apis_NamesEachWithItsKey()
    {
        KafkaApiSupport.Describe([ApiKey.DeleteGroups, ApiKey.OffsetDelete]).Should().Be("DeleteGroups (42), OffsetDelete (47)");
    }

    [Fact]
    public async Task ProbeAsync_LibrdkafkaMockCluster_LacksTopicAndGroupAdministration()
    {
        using var cluster = LibrdkafkaMockCluster.Start();

        var support = (await KafkaApiSupport.ProbeAsync(cluster.Endpoint, TimeSpan.FromSeconds(10), TimeProvider.System, Token))!;

        support.Missing(ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.Metadata, ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.JoinGroup, ApiKey.SyncGroup, ApiKey.InitProducerId)
            .Should().BeEmpty();
        support.Missing(ApiKey.CreateTopics, ApiKey.DeleteTopics, ApiKey.DescribeGroups, ApiKey.ListGroups, ApiKey.DeleteGroups, ApiKey.OffsetDelete, ApiKey.DescribeConfigs, ApiKey.DeleteRecords, ApiKey.DescribeAcls)
            .Should().HaveCount(9);
    }

    [Fact]
    public async Task ProbeAsync_EmbeddedBroker_ServesTheAdministrationTheHarnessUses()
    {
        await using var broker = new KafkaBroker();
        await broker.StartAsync(Token);

        var support = (await KafkaApiSupport.ProbeAsync(new KafkaEndpoint(broker.BootstrapServers), TimeSpan.FromSeconds(10), TimeProvider.System, Token))!;

        support.Missing(ApiKey.CreateTopics, ApiKey.DeleteTopics, ApiKey.DescribeGroups, ApiKey.DeleteGroups, ApiKey.OffsetDelete, ApiKey.DescribeConfigs, ApiKey.DeleteRecords)
            .Should().BeEmpty();
    }

    [Fact]
    public async Task ProbeAsync_NothingListens_ThrowsNamingTheServersAndTheTimeout()
    {
        var port = ClosedPort();

        var probe = () => KafkaApiSupport.ProbeAsync(new KafkaEndpoint($"127.0.0.1:{port}"), TimeSpan.FromSeconds(2), TimeProvider.System, Token);

        (await probe.Should().ThrowAsync<KafkaProbeException>()).WithMessage($"Kafka at 127.0.0.1:{port} did not answer a metadata request within 2 s (*");
    }

    internal static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
