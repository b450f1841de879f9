using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Tests.Sinks;

public sealed class TargetUrlTests
{
    [Fact]
    public void Parse_HarnessProxyUrl_ReadsHostPortDatabaseAndTimeouts()
    {
        var url = TargetUrl.Parse("jdbc:postgresql://127.0.0.1:41234/postgres?socketTimeout=3&connectTimeout=10");

        url.Scheme.Should().Be("postgresql");
        url.Host.Should().Be("127.0.0.1");
        url.Port.Should().Be(41234);
        url.Database.Should().Be("postgres");
        url.SocketTimeout.Should().Be(TimeSpan.FromSeconds(3));
        url.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Parse_UserInfoAndParameters_ParametersWinAndAreUnescaped()
    {
        var url = TargetUrl.Parse("postgres://alice:s%40cret@db:5433/shop?user=bob&applicationName=my%20sink");

        url.User.Should().Be("bob");
        url.Password.Should().Be("s@cret");
        url.Parameters["APPLICATIONNAME"].Should().Be("my sink");
    }

    [Fact]
    public void Parse_NoTimeouts_AreNullAsIsZero()
    {
        TargetUrl.Parse("jdbc:postgresql://db/x").SocketTimeout.Should().BeNull();
        TargetUrl.Parse("jdbc:postgresql://db/x?socketTimeout=0").SocketTimeout.Should().BeNull();
        TargetUrl.Parse("jdbc:postgresql://db").Port.Should().BeNull();
    }

    [Theory]
    [InlineData("Host=db;Port=5432", "no scheme:// part")]
    [InlineData("jdbc:postgresql://db:port/x", "must be a number from 1 to 65535, not 'port'")]
    public void Parse_NotAUrl_SaysWhatAUrlLooksLike(string text, string message)
    {
        var parse = () => TargetUrl.Parse(text);

        parse.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void SocketTimeout_NotANumber_SaysWhatToChange()
    {
        var read = () => TargetUrl.Parse("jdbc:postgresql://db/x?socketTimeout=soon").SocketTimeout;

        read.Should().Throw<FormatException>().WithMessage("The target URL parameter socketTimeout must be a whole number of seconds, not 'soon'.");
    }
}
