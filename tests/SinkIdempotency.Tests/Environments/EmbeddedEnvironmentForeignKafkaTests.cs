using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Tests.Kafka;

namespace SinkIdempotency.Tests.Environments;

/// <summary>The embedded environment on a Kafka-compatible cluster of its own: naming, capabilities, validation, and starts that must stop at Kafka.</summary>
public sealed class EmbeddedEnvironmentForeignKafkaTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Name_InProcessBootstrapServersOrLabel_TellsTheClustersApart()
    {
        await using var inProcess = new EmbeddedEnvironmentBuilder().Build();
        await using var servers = new EmbeddedEnvironmentBuilder().WithBootstrapServers("broker-1:9092,broker-2:9092").Build();
        await using var labelled = new EmbeddedEnvironmentBuilder().WithBootstrapServers("broker-1:9092").WithKafkaLabel("staging-msk").Build();

        inProcess.Name.Should().Be("embedded");
        servers.Name.Should().Be("embedded@broker-1:9092,broker-2:9092");
        labelled.Name.Should().Be("embedded@staging-msk");
    }

    [Fact]
    public async Task CapabilitiesAndKafka_OwnCluster_NoBrokerFaultsAndTheEndpointWithItsSettings()
    {
        await using var environment = new EmbeddedEnvironmentBuilder().WithBootstrapServers("broker:9092")
            .WithKafkaSetting("security.protocol", "SASL_SSL").WithKafkaSetting("sasl.password", "s3cret").Build();

        environment.Capabilities.Should().NotHaveFlag(EnvironmentCapabilities.BrokerFaults)
            .And.HaveFlag(EnvironmentCapabilities.KillWorker).And.HaveFlag(EnvironmentCapabilities.AddWorker).And.HaveFlag(EnvironmentCapabilities.TargetFaultProxy);
        environment.Kafka.BootstrapServers.Should().Be("broker:9092");
        environment.Kafka.ClientSettings.Should().Contain("security.protocol", "SASL_SSL").And.Contain("sasl.password", "s3cret");
        environment.Kafka.ToString().Should().NotContain("s3cret");
        var broker = () => environment.Broker;
        broker.Should().Throw<InvalidOperationException>().WithMessage("The embedded@broker:9092 environment runs on the Kafka at broker:9092, not on an in-process broker, so it has no broker to intercept.");
    }

    [Fact]
    public void Options_KafkaDefaults_AreTheInProcessBroker()
    {
        var options = new EmbeddedEnvironmentBuilder().Options;

        options.BootstrapServers.Should().BeNull();
        options.KafkaSettings.Should().BeEmpty();
        options.KafkaLabel.Should().BeNull();
        options.TopicAdmin.Should().BeNull();
        options.KafkaReachabilityTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("broker", "*BootstrapServers 'broker' is not a comma-separated list of host:port*")]
    [InlineData("broker:9092, other", "*BootstrapServers 'broker:9092, other' is not a comma-separated list of host:port*")]
    public void Build_BadBootstrapServers_ThrowsSayingTheFormat(string servers, string message)
    {
        var build = () => new EmbeddedEnvironmentBuilder().WithBootstrapServers(servers).Build();

        build.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Build_SettingTheHarnessOwns_ThrowsNamingIt()
    {
        var build = () => new EmbeddedEnvironmentBuilder().WithBootstrapServers("b:9092").WithKafkaSetting("group.id", "mine").Build();

        build.Should().Throw<ArgumentException>().WithMessage("EmbeddedEnvironmentOptions.KafkaSettings cannot hold 'group.id'*");
    }

    [Fact]
    public void Build_ClusterSettingsWithoutBootstrapServers_ThrowsSayingToAddThem()
    {
        var settings = () => new EmbeddedEnvironmentBuilder().WithKafkaSetting("security.protocol", "SSL").Build();
        var label = () => new EmbeddedEnvironmentBuilder().WithKafkaLabel("x").Build();

        settings.Should().Throw<ArgumentException>().WithMessage("*set BootstrapServers too (WithBootstrapServers)*");
        label.Should().Throw<ArgumentException>().WithMessage("*set BootstrapServers too (WithBootstrapServers)*");
    }

    [Fact]
    public void Build_LabelWithSpaces_ThrowsSayingWhatALabelIs()
    {
        var build = () => new EmbeddedEnvironmentBuilder().WithBootstrapServers("b:9092").WithKafkaLabel("my cluster").Build();

        build.Should().Throw<ArgumentException>().WithMessage("EmbeddedEnvironmentOptions.KafkaLabel 'my cluster' must be 1 to 64 characters without spaces*");
    }

    [Fact]
    public async Task WithKafka_MockCluster_SetsItsServersItsTopicAdminAndTheLabel()
    {
        using var cluster = LibrdkafkaMockCluster.Start();

        await using var environment = new EmbeddedEnvironmentBuilder().WithKafka(cluster).Build();

        environment.Name.Should().Be("embedded@librdkafka-mock");
        environment.Kafka.BootstrapServers.Should().Be(cluster.BootstrapServers);
        environment.TopicAdmin.Should().BeSameAs(cluster);
    }

    [Fact]
    public async Task StartAsync_NothingListensAtTheBootstrapServers_FailsAtKafkaAndStartsNothingElse()
    {
        var port = KafkaApiSupportTests.ClosedPort();
        await using var environment = new EmbeddedEnvironmentBuilder().WithBootstrapServers($"127.0.0.1:{port}")
            .WithKafkaSetting("sasl.password", "never-shown-7f3a").WithKafkaReachabilityTimeout(TimeSpan.FromSeconds(2)).Build();

        var start = () => environment.StartAsync(Token);

        var error = (await start.Should().ThrowAsync<EnvironmentStartException>()).Which;
        error.Part.Should().Be("Kafka");
        error.Message.Should().StartWith($"The embedded@127.0.0.1:{port} environment could not start: Kafka failed: Kafka at 127.0.0.1:{port} (sasl.password=[redacted]) did not answer a metadata request within 2 s")
            .And.Contain("Nothing was started and nothing was created on the cluster.")
            .And.NotContain("never-shown-7f3a");
        environment.StartDurations.Should().BeEmpty("neither PostgreSQL nor a worker may start when Kafka does not answer");
        environment.ConnectUrls.Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_ClusterWithoutCreateTopicsAndNoTopicAdmin_FailsSayingHowToCreateTopics()
    {
        using var cluster = LibrdkafkaMockCluster.Start();
        await using var environment = new EmbeddedEnvironmentBuilder().WithBootstrapServers(cluster.BootstrapServers).Build();

        var start = () => environment.StartAsync(Token);

        var error = (await start.Should().ThrowAsync<EnvironmentStartException>()).Which;
        error.Part.Should().Be("Kafka");
        error.Message.Should().Contain($"Kafka at {cluster.BootstrapServers} does not serve CreateTopics (19)")
            .And.Contain("EmbeddedEnvironmentBuilder.WithTopicAdmin").And.Contain("Nothing was started");
        environment.StartDurations.Keys.Should().Equal("Kafka");
        environment.KafkaApis!.Supports(ApiKey.Produce).Should().BeTrue();
    }

    [Fact]
    public void WorkerTopics_ClusterId_AreTheNamesAndPartitionsTheWorkerDerives()
    {
        EmbeddedEnvironment.WorkerTopics("c1").Should().Equal(
            ("connect-configs-c1", 1, true),
            ("connect-status-c1", 1, true),
            ("connect-assignments-c1", EmbeddedEnvironment.WorkerClusterSlots, false));
    }
}
