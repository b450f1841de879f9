using System.Globalization;
using System.Net;

namespace SinkIdempotency.Embedded;

/// <summary>Reads the kernel's TCP socket tables (<c>/proc/PID/net/tcp</c> and <c>tcp6</c>) and which sockets a process holds.</summary>
/// <remarks>
/// For every socket the table gives both ends, the state, and two queues: <c>tx_queue</c> (bytes sent and not yet
/// acknowledged by the peer) and <c>rx_queue</c> (bytes received and not yet read by the owning process). On one host
/// both ends of a connection are in the table, so the peer's <c>rx_queue</c> tells whether a server has read what a
/// client sent.
/// </remarks>
internal static class ProcTcp
{
    /// <summary>The state number of an established connection.</summary>
    public const int Established = 0x01;

    /// <summary>The state number of a listening socket.</summary>
    public const int Listen = 0x0A;

    /// <summary>Parses the text of a <c>/proc/net/tcp</c> or <c>tcp6</c> file; the header line and malformed lines are skipped.</summary>
    public static List<TcpSocket> Parse(string text)
    {
        var sockets = new List<TcpSocket>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || !fields[0].EndsWith(':') || !TryEndPoint(fields[1], out var local) || !TryEndPoint(fields[2], out var remote))
            {
                continue;
            }

            var queues = fields[4].Split(':');
            if (queues.Length != 2
                || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var state)
                || !long.TryParse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var tx)
                || !long.TryParse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rx)
                || !long.TryParse(fields[9], NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
            {
                continue;
            }

            sockets.Add(new TcpSocket(local, remote, state, tx, rx, inode));
        }

        return sockets;
    }

    /// <summary>Reads every TCP socket of the network namespace <paramref name="pid"/> lives in, IPv4 and IPv6.</summary>
    public static List<TcpSocket> ReadTable(int pid)
    {
        var sockets = new List<TcpSocket>();
        foreach (var file in new[] { "tcp", "tcp6" })
        {
            try
            {
                sockets.AddRange(Parse(File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/net/{file}"))));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A kernel without IPv6, or the process is gone.
            }
        }

        return sockets;
    }

    /// <summary>Reads the inode numbers of the sockets a process holds open (<c>/proc/PID/fd</c> links named <c>socket:[inode]</c>).</summary>
    public static HashSet<long> SocketInodes(int pid)
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fd")))
            {
                string? target;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']')
                    && long.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.Integer, CultureInfo.InvariantCulture, out var inode))
                {
                    inodes.Add(inode);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }

        return inodes;
    }

    /// <summary>Pairs each connection a process opened to a server with the server's end of it, where that end is in the table.</summary>
    /// <param name="table">Every socket of the namespace.</param>
    /// <param name="owned">The inodes of the process's sockets.</param>
    /// <returns>The process's established client connections (not those accepted on its own listening ports), each with the peer's socket or <see langword="null"/>.</returns>
    public static List<(TcpSocket Client, TcpSocket? Server)> ClientConnections(IReadOnlyList<TcpSocket> table, IReadOnlySet<long> owned)
    {
        var mine = table.Where(s => owned.Contains(s.Inode)).ToList();
        var listening = mine.Where(s => s.State == Listen).Select(s => s.Local.Port).ToHashSet();
        var byEnds = new Dictionary<(IPEndPoint, IPEndPoint), TcpSocket>();
        foreach (var socket in table.Where(s => s.State != Listen))
        {
            byEnds.TryAdd((socket.Local, socket.Remote), socket);
        }

        return [.. mine
            .Where(s => s.State == Established && !listening.Contains(s.Local.Port))
            .Select(s => (s, byEnds.TryGetValue((s.Remote, s.Local), out var peer) ? peer : (TcpSocket?)null))];
    }

    // IPv4 addresses are printed as the raw 32-bit word in host byte order; IPv6 as four such words. Ports are plain hex.
    private static bool TryEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32) || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return false;
        }

        var bytes = new byte[colon / 2];
        for (var word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(text.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            // Host byte order in, host byte order out: the word's bytes are the address bytes as they lie in memory.
            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }

        var address = new IPAddress(bytes);
        endPoint = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
        return true;
    }
}
