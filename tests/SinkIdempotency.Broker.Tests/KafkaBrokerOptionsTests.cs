namespace SinkIdempotency.Broker.Tests;

public sealed class KafkaBrokerOptionsTests
{
    [Fact]
    public void Defaults_MatchKafkaAndTestExpectations()
    {
        var options = new KafkaBrokerOptions();

        options.Port.Should().Be(0);
        options.AutoCreateTopics.Should().BeTrue();
        options.DefaultPartitions.Should().Be(1);
        options.NodeId.Should().Be(1);
        options.ClusterId.Should().Be("SinkIdempotencyEmbedded");
        options.MaxRequestBytes.Should().Be(100 * 1024 * 1024);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.LoggerFactory.Should().BeNull();
    }

    [Fact]
    public void Validate_NegativePort_ThrowsNamingTheOption()
    {
        var act = () => new KafkaBrokerOptions { Port = -1 }.Validate();

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Port");
    }

    [Fact]
    public void Validate_ZeroPartitions_ThrowsNamingTheOption()
    {
        var act = () => new KafkaBroker(new KafkaBrokerOptions { DefaultPartitions = 0 });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("DefaultPartitions");
    }

    [Fact]
    public void BootstrapServers_BeforeStart_ThrowsWithInstruction()
    {
        var broker = new KafkaBroker();

        var act = () => broker.BootstrapServers;

        act.Should().Throw<InvalidOperationException>().WithMessage("*StartAsync*");
    }
}
