using SinkIdempotency.Connect;

namespace SinkIdempotency.Tests.Connect;

public sealed class ConnectServerInfoTests
{
    [Theory]
    [InlineData("3.9.0", 3, 9, true)]
    [InlineData("3.6.0", 3, 6, true)]
    [InlineData("3.5.1", 3, 5, false)]
    [InlineData("4.1.1", 4, 1, true)]
    [InlineData("2.8.2", 2, 8, false)]
    [InlineData("7.7.1-ccs", 3, 7, true)]
    [InlineData("7.5.0-ccs", 3, 5, false)]
    [InlineData("7.6.0-ce", 3, 6, true)]
    [InlineData("8.0.0-ccs", 4, 0, true)]
    [InlineData("3.7.0-SNAPSHOT", 3, 7, true)]
    public void KafkaVersion_ReportedVersion_MapsToApacheKafkaAndOffsetsApiFrom36(string reported, int major, int minor, bool offsetsApi)
    {
        var info = new ConnectServerInfo(reported, null, null);

        info.KafkaVersion.Should().Be(new Version(major, minor));
        info.SupportsOffsetsApi.Should().Be(offsetsApi);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("3")]
    public void SupportsOffsetsApi_UnreadableVersion_IsFalse(string reported)
    {
        var info = new ConnectServerInfo(reported, null, null);

        info.KafkaVersion.Should().BeNull();
        info.SupportsOffsetsApi.Should().BeFalse();
    }
}
