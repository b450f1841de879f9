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
        options.DefaultRetention.Should().BeNull("Kafka's own 7 days apply, reported as DEFAULT_CONFIG");
        options.DefaultRetentionBytes.Should().BeNull();
        options.DefaultSegmentBytes.Should().BeNull();
        options.DefaultSegmentRoll.Should().BeNull();
        options.RetentionCheckInterval.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData(nameof(KafkaBrokerOptions.DefaultRetention))]
    [InlineData(nameof(KafkaBrokerOptions.DefaultRetentionBytes))]
    [InlineData(nameof(KafkaBrokerOptions.DefaultSegmentBytes))]
    [InlineData(nameof(KafkaBrokerOptions.DefaultSegmentRoll))]
    [InlineData(nameof(KafkaBrokerOptions.RetentionCheckInterval))]
    public void Validate_RetentionOptionOutOfRange_ThrowsNamingTheOption(string option)
    {
        var options = option switch
        {
            nameof(KafkaBrokerOptions.DefaultRetention) => new KafkaBrokerOptions { DefaultRetention = TimeSpan.FromSeconds(-2) },
            nameof(KafkaBrokerOptions.DefaultRetentionBytes) => new KafkaBrokerOptions { DefaultRetentionBytes = -2 },
            nameof(KafkaBrokerOptions.DefaultSegmentBytes) => new KafkaBrokerOptions { DefaultSegmentBytes = 13 },
            nameof(KafkaBrokerOptions.DefaultSegmentRoll) => new KafkaBrokerOptions { DefaultSegmentRoll = TimeSpan.Zero },
            _ => new KafkaBrokerOptions { RetentionCheckInterval = TimeSpan.Zero },
        };

        var act = options.Validate;

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }

    [Fact]
    public void Validate_InfiniteRetentionAndCheckInterval_AreAccepted()
    {
        var act = new KafkaBrokerOptions { DefaultRetention = Timeout.InfiniteTimeSpan, DefaultRetentionBytes = -1, RetentionCheckInterval = Timeout.InfiniteTimeSpan }.Validate;

        act.Should().NotThrow();
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
