using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SinkIdempotency.Tests.Support;

/// <summary>Checks what a local server left behind: its process, its port, and a pid that no longer runs.</summary>
internal static class LocalServerChecks
{
    public static bool ProcessIsGone(int pid) => pid > 0 && !File.Exists($"/proc/{pid}/stat");

    public static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task<int> ExitedPidAsync(CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await process.WaitForExitAsync(cancellationToken);
        return process.Id;
    }
}
