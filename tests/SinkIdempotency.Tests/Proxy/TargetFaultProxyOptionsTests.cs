using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Proxy;

public sealed class TargetFaultProxyOptionsTests
{
    [Fact]
    public void Constructor_Defaults_AreDocumentedValues()
    {
        var options = new TargetFaultProxyOptions();

        options.TargetHost.Should().Be("127.0.0.1");
        options.TargetPort.Should().Be(0);
        options.ListenPort.Should().Be(0);
        options.TargetConnectTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.BufferSize.Should().Be(16 * 1024);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Fact]
    public async Task StartAsync_NoTargetPort_ThrowsNamingTheOption()
    {
        var start = () => TargetFaultProxy.StartAsync(new TargetFaultProxyOptions(), TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*TargetPort must be between 1 and 65535*");
    }

    [Fact]
    public async Task StartAsync_EmptyHost_ThrowsNamingTheOption()
    {
        var start = () => TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetHost = " ", TargetPort = 5432 }, TestContext.Current.CancellationToken);

        (await start.Should().ThrowAsync<ArgumentException>()).WithMessage("*TargetHost is empty*");
    }

    [Fact]
    public async Task StartAsync_UnreachableTarget_ResetsClientAndCountsFailure()
    {
        await using var proxy = await TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetPort = 1 }, TestContext.Current.CancellationToken);
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        var buffer = new byte[16];

        // The proxy may reset the connection before the connect call has even returned on a loaded machine, so the
        // reset is expected from either the connect or the first read.
        var connectAndRead = async () =>
        {
            await client.ConnectAsync("127.0.0.1", proxy.Port, TestContext.Current.CancellationToken);
            await client.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, TestContext.Current.CancellationToken);
        };

        await connectAndRead.Should().ThrowAsync<System.Net.Sockets.SocketException>();
        proxy.GetCounters().TargetConnectFailures.Should().Be(1);
    }
}
