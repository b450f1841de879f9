using System.Net;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Tests.Embedded;

public sealed class ProcTcpTests
{
    // A worker (inode 100) with its REST listener on 8083 and a connection to a broker on 9092 (server end inode 200),
    // whose last request the broker has not read yet (rx 0x2A on the server end); a harness client on its REST port.
    private const string Table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F93 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 101 1 0000000000000000 100 0 0 10 0
           1: 0100007F:A000 0100007F:2384 01 00000000:00000000 00:00000000 00000000  1000        0 100 1 0000000000000000 20 4 30 10 -1
           2: 0100007F:2384 0100007F:A000 01 00000000:0000002A 00:00000000 00000000  1000        0 200 1 0000000000000000 20 4 30 10 -1
           3: 0100007F:1F93 0100007F:B000 01 00000000:00000010 00:00000000 00000000  1000        0 102 1 0000000000000000 20 4 30 10 -1
           4: 0100007F:B000 0100007F:1F93 01 00000000:00000000 00:00000000 00000000  1000        0 300 1 0000000000000000 20 4 30 10 -1
        """;

    [Fact]
    public void Parse_ProcNetTcp_ReadsEndsStateQueuesAndInode()
    {
        var sockets = ProcTcp.Parse(Table);

        sockets.Should().HaveCount(5);
        sockets[0].Should().Be(new TcpSocket(new IPEndPoint(IPAddress.Loopback, 8083), new IPEndPoint(IPAddress.Any, 0), ProcTcp.Listen, 0, 0, 101));
        sockets[2].Local.Should().Be(new IPEndPoint(IPAddress.Loopback, 9092));
        sockets[2].RxQueue.Should().Be(42);
    }

    [Fact]
    public void Parse_Ipv4MappedIpv6_GivesTheIpv4Address()
    {
        const string Tcp6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0000000000000000FFFF00000100007F:A000 0000000000000000FFFF00000100007F:2384 01 00000005:00000000 00:00000000 00000000  1000        0 100 1 0000000000000000 20 4 30 10 -1
            """;

        var socket = ProcTcp.Parse(Tcp6).Single();

        socket.Local.Should().Be(new IPEndPoint(IPAddress.Loopback, 0xA000));
        socket.Remote.Should().Be(new IPEndPoint(IPAddress.Loopback, 9092));
        socket.TxQueue.Should().Be(5);
    }

    [Fact]
    public void ClientConnections_PairsOnlyTheConnectionsTheProcessOpenedWithTheirServerEnds()
    {
        var connections = ProcTcp.ClientConnections(ProcTcp.Parse(Table), new HashSet<long> { 100, 101, 102 });

        var (client, server) = connections.Should().ContainSingle("the REST connection a harness opened to the worker is not the worker's request").Subject;
        client.Inode.Should().Be(100);
        server!.Value.Inode.Should().Be(200);
        server.Value.RxQueue.Should().Be(42, "the broker has not read the worker's last 42 bytes");
    }

    [Fact]
    public void ReadTable_ThisProcess_FindsAListenerItOpened()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var mine = ProcTcp.SocketInodes(Environment.ProcessId);
        var table = ProcTcp.ReadTable(Environment.ProcessId);

        table.Should().Contain(s => s.State == ProcTcp.Listen && s.Local.Port == port && mine.Contains(s.Inode));
    }
}
