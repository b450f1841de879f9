using System.Net;
using System.Net.Sockets;
using System.Text;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Tests.Proxy;

/// <summary>Checks <see cref="TargetFaultProxy.WithholdNextResponseTo"/> against an echo server: only the request carrying the marker loses its reply.</summary>
public sealed class TargetFaultProxyMarkerTests
{
    [Fact]
    public async Task WithholdNextResponseTo_RequestsWithoutMarker_StillGetReplies_RequestWithMarker_DoesNot()
    {
        var token = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var echoStop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var echo = EchoAsync(listener, echoStop.Token);
        await using var proxy = await TargetFaultProxy.StartAsync(new TargetFaultProxyOptions { TargetPort = ((IPEndPoint)listener.LocalEndpoint).Port }, token);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port, token);
        var stream = client.GetStream();

        proxy.WithholdNextResponseTo("COMMIT"u8);
        var before = await RoundTripAsync(stream, "SELECT 1", token);
        var withheld = await RoundTripAsync(stream, "COMMIT", token);

        before.Should().Be("SELECT 1", "a request without the marker passes while the switch is armed");
        withheld.Should().BeNull("the reply to the request with the marker is discarded");
        proxy.GetCounters().ConnectionsWithheld.Should().Be(1);
        proxy.Behaviour.Should().Be(TargetFaultBehaviour.Pass, "the switch disarms itself after one connection");
        await echoStop.CancelAsync();
        await FluentActions.Awaiting(() => echo).Should().ThrowAsync<OperationCanceledException>();
    }

    private static async Task<string?> RoundTripAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
        var buffer = new byte[64];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task EchoAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        var buffer = new byte[64];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
        }
    }
}
