using SinkIdempotency.Worker.Cluster;

namespace SinkIdempotency.Worker.Tests.Cluster;

/// <summary>The Java consumer's <c>max.poll.records</c>, applied by the task loop as Connect applies it and kept away from librdkafka.</summary>
public sealed class MaxPollRecordsTests
{
    private static readonly Dictionary<string, string> None = [];

    [Fact]
    public void MaxPollRecords_NothingSet_IsConnectsDefault()
    {
        Herder.MaxPollRecords(None, None).Should().Be(500);
    }

    [Fact]
    public void MaxPollRecords_WorkerConsumerSetting_Applies()
    {
        Herder.MaxPollRecords(new Dictionary<string, string> { ["max.poll.records"] = "100" }, None).Should().Be(100);
    }

    [Fact]
    public void MaxPollRecords_ConnectorOverride_WinsOverTheWorker()
    {
        var worker = new Dictionary<string, string> { ["max.poll.records"] = "100" };
        var connector = new Dictionary<string, string> { ["consumer.override.max.poll.records"] = "7" };

        Herder.MaxPollRecords(worker, connector).Should().Be(7);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("many")]
    public void MaxPollRecords_NotAPositiveInteger_FailsNamingTheSetting(string value)
    {
        var act = () => Herder.MaxPollRecords(None, new Dictionary<string, string> { ["consumer.override.max.poll.records"] = value });

        act.Should().Throw<Sink.ConnectException>().WithMessage($"Invalid value {value} for configuration max.poll.records*");
    }

    [Fact]
    public void WithoutWorkerOnly_DropsMaxPollRecordsAndKeepsTheRest()
    {
        var properties = new Dictionary<string, string> { ["max.poll.records"] = "100", ["fetch.min.bytes"] = "1" };

        Herder.WithoutWorkerOnly(properties).Should().Equal(new Dictionary<string, string> { ["fetch.min.bytes"] = "1" });
    }
}
