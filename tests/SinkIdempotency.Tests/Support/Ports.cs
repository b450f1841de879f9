using System.Net;
using System.Net.Sockets;

namespace SinkIdempotency.Tests.Support;

/// <summary>Finds loopback ports for tests that need nothing to answer.</summary>
internal static class Ports
{
    /// <summary>Returns a port on 127.0.0.1 that was free a moment ago and has no listener now.</summary>
    public static int Closed()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
