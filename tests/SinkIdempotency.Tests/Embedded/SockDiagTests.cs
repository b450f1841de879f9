using System.Net;
using System.Net.Sockets;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Embedded;

public sealed class SockDiagTests
{
    [Fact]
    public async Task Queues_BytesSentAndNotRead_ShowInTheServerEndsReceiveQueueOnly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var clientEnd = (IPEndPoint)client.Client.LocalEndPoint!;
        var serverEnd = (IPEndPoint)server.Client.LocalEndPoint!;
        await client.GetStream().WriteAsync(new byte[42], TestContext.Current.CancellationToken);
        using var diag = SockDiag.Open();

        // Loopback delivers at once, but the kernel may take a moment to queue the bytes.
        (long RxQueue, long TxQueue)? serverQueues = null;
        for (var i = 0; i < 100 && serverQueues is not { RxQueue: 42 }; i++)
        {
            serverQueues = diag.Queues(serverEnd, clientEnd);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        serverQueues.Should().Be((42L, 0L), "the server has not read the 42 bytes");
        diag.Queues(clientEnd, serverEnd).Should().Be((0L, 0L), "the client's bytes were acknowledged");
        var read = await server.GetStream().ReadAtLeastAsync(new byte[42], 42, cancellationToken: TestContext.Current.CancellationToken);
        read.Should().Be(42);
        diag.Queues(serverEnd, clientEnd).Should().Be((0L, 0L));
        diag.Queues(serverEnd, new IPEndPoint(IPAddress.Loopback, 1)).Should().BeNull("no such connection");
    }

    [Fact]
    public void All_ThisProcess_FindsAListenerItOpenedWithItsInode()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var mine = ProcTcp.SocketInodes(Environment.ProcessId);
        using var diag = SockDiag.Open();

        var all = diag.All();

        all.Should().Contain(s => s.State == ProcTcp.Listen && s.Local.Equals(new IPEndPoint(IPAddress.Loopback, port)) && mine.Contains(s.Inode));
    }
}
