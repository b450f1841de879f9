using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Embedded;

/// <summary>Looks up one TCP socket by its two ends through the kernel's socket diagnostics (netlink <c>sock_diag</c>), as <c>ss</c> does.</summary>
/// <remarks>
/// Reading <c>/proc/net/tcp</c> walks the kernel's whole connection table and takes tens of milliseconds (more on a loaded
/// machine); an exact lookup by address and port is a hash probe. A frozen worker is polled this way until its servers
/// have read what it sent, so a freeze stays short. An IPv4 connection may be held by an IPv4 socket or by a dual-mode
/// IPv6 one (addresses mapped as <c>::ffff:a.b.c.d</c>), so both are tried.
/// </remarks>
internal sealed class SockDiag : IDisposable
{
    private const int AfNetlink = 16;
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const byte TcpListen = 10;
    private const ushort NlmFDump = 0x300;
    private const ushort NlmsgDone = 3;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmFRequest = 1;
    private const ushort NlmsgError = 2;
    private const int HeaderLength = 16;
    private const int RequestLength = HeaderLength + 56;
    private readonly int _socket;
    private readonly byte[] _request = new byte[RequestLength];
    private readonly byte[] _reply = new byte[8192];
    private readonly byte[] _kernel = new byte[12];
    private uint _sequence;

    private SockDiag(int socket)
    {
        _socket = socket;
        BinaryPrimitives.WriteUInt16LittleEndian(_kernel, AfNetlink);
    }

    /// <summary>Opens a netlink socket for lookups.</summary>
    /// <exception cref="IOException">The kernel refused the socket (no netlink, or a sandbox).</exception>
    public static SockDiag Open()
    {
        var socket = Socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        return socket < 0
            ? throw new IOException($"A netlink sock_diag socket could not be opened (errno {Marshal.GetLastPInvokeError()}).")
            : new SockDiag(socket);
    }

    /// <summary>Reads the receive and send queues of the TCP socket whose ends are <paramref name="local"/> and <paramref name="remote"/>.</summary>
    /// <returns>The queues, or <see langword="null"/> when no such socket exists (any more).</returns>
    /// <exception cref="IOException">The kernel did not answer.</exception>
    public (long RxQueue, long TxQueue)? Queues(IPEndPoint local, IPEndPoint remote)
    {
        var localAddress = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        var remoteAddress = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        if (localAddress.AddressFamily == AddressFamily.InterNetwork && remoteAddress.AddressFamily == AddressFamily.InterNetwork
            && Query(AfInet, localAddress, local.Port, remoteAddress, remote.Port) is { } v4)
        {
            return v4;
        }

        return Query(AfInet6, localAddress.MapToIPv6(), local.Port, remoteAddress.MapToIPv6(), remote.Port);
    }

    /// <summary>Lists every TCP socket of the network namespace, IPv4 and IPv6, with its state, queues and inode: what <c>/proc/net/tcp</c> holds, without formatting it as text.</summary>
    /// <exception cref="IOException">The kernel did not answer.</exception>
    public List<TcpSocket> All()
    {
        var sockets = new List<TcpSocket>();
        foreach (var family in new[] { AfInet, AfInet6 })
        {
            var sequence = ++_sequence;
            var r = _request.AsSpan();
            r.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(r, RequestLength);
            BinaryPrimitives.WriteUInt16LittleEndian(r[4..], SockDiagByFamily);
            BinaryPrimitives.WriteUInt16LittleEndian(r[6..], NlmFRequest | NlmFDump);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], sequence);
            r[16] = (byte)family;
            r[17] = (byte)ProtocolType.Tcp;
            BinaryPrimitives.WriteUInt32LittleEndian(r[20..], uint.MaxValue);
            if (SendTo(_socket, _request, RequestLength, 0, _kernel, _kernel.Length) < 0)
            {
                throw new IOException($"A sock_diag dump could not be requested (errno {Marshal.GetLastPInvokeError()}).");
            }

            var done = false;
            while (!done)
            {
                var received = Receive(_socket, _reply, _reply.Length, 0);
                if (received < HeaderLength)
                {
                    throw new IOException($"The sock_diag dump could not be read (errno {Marshal.GetLastPInvokeError()}).");
                }

                var buffer = _reply.AsSpan(0, (int)received);
                while (buffer.Length >= HeaderLength)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
                    var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer[4..]);
                    if (length < HeaderLength || length > buffer.Length)
                    {
                        break;
                    }

                    if (BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]) == sequence)
                    {
                        if (type is NlmsgDone or NlmsgError)
                        {
                            done = true;
                        }
                        else if (type == SockDiagByFamily)
                        {
                            sockets.Add(Parse(buffer[HeaderLength..length], family));
                        }
                    }

                    buffer = buffer[Math.Min(buffer.Length, (length + 3) & ~3)..];
                }
            }
        }

        return sockets;
    }

    public void Dispose() => Close(_socket);

    private static TcpSocket Parse(ReadOnlySpan<byte> message, int family)
    {
        var id = message[4..];
        var size = family == AfInet ? 4 : 16;
        var local = new IPAddress(id.Slice(4, size));
        var remote = new IPAddress(id.Slice(20, size));
        return new TcpSocket(
            new IPEndPoint(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local, BinaryPrimitives.ReadUInt16BigEndian(id)),
            new IPEndPoint(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, BinaryPrimitives.ReadUInt16BigEndian(id[2..])),
            message[1],
            BinaryPrimitives.ReadUInt32LittleEndian(message[60..]),
            BinaryPrimitives.ReadUInt32LittleEndian(message[56..]),
            BinaryPrimitives.ReadUInt32LittleEndian(message[68..]));
    }

    private (long RxQueue, long TxQueue)? Query(int family, IPAddress local, int localPort, IPAddress remote, int remotePort)
    {
        var sequence = ++_sequence;
        var r = _request.AsSpan();
        r.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(r, RequestLength);
        BinaryPrimitives.WriteUInt16LittleEndian(r[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(r[6..], NlmFRequest);
        BinaryPrimitives.WriteUInt32LittleEndian(r[8..], sequence);

        // inet_diag_req_v2: family, protocol, extensions, pad, states, then the socket id.
        r[16] = (byte)family;
        r[17] = (byte)ProtocolType.Tcp;
        BinaryPrimitives.WriteUInt32LittleEndian(r[20..], uint.MaxValue);
        var id = r[24..];
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)localPort);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)remotePort);
        local.TryWriteBytes(id[4..], out _);
        remote.TryWriteBytes(id[20..], out _);

        // No cookie: INET_DIAG_NOCOOKIE, both halves all ones.
        BinaryPrimitives.WriteUInt32LittleEndian(id[40..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(id[44..], uint.MaxValue);
        if (SendTo(_socket, _request, RequestLength, 0, _kernel, _kernel.Length) < 0)
        {
            throw new IOException($"A sock_diag request could not be sent (errno {Marshal.GetLastPInvokeError()}).");
        }

        while (true)
        {
            var received = Receive(_socket, _reply, _reply.Length, 0);
            if (received < HeaderLength)
            {
                throw new IOException($"The sock_diag answer could not be read (errno {Marshal.GetLastPInvokeError()}).");
            }

            var reply = _reply.AsSpan(0, (int)received);
            if (BinaryPrimitives.ReadUInt32LittleEndian(reply[8..]) != sequence)
            {
                continue;
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(reply[4..]) == NlmsgError)
            {
                // An error message with code 0 is an acknowledgement; anything else (ENOENT) means no such socket.
                return null;
            }

            // inet_diag_msg: family, state, timer, retrans, the 48-byte id, expires, then rqueue and wqueue. The kernel
            // falls back to a listening socket on the local port when no connection matches: only the connection counts.
            var message = reply[HeaderLength..];
            if (message[1] == TcpListen || BinaryPrimitives.ReadUInt16BigEndian(message[6..]) != remotePort)
            {
                return null;
            }

            return (BinaryPrimitives.ReadUInt32LittleEndian(message[56..]), BinaryPrimitives.ReadUInt32LittleEndian(message[60..]));
        }
    }

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "sendto", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint SendTo(int socket, byte[] buffer, nint length, int flags, byte[] address, int addressLength);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Receive(int socket, byte[] buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int socket);
}
