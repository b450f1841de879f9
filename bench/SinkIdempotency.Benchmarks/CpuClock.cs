using System.Diagnostics;
using System.Globalization;

namespace SinkIdempotency.Benchmarks;

/// <summary>Reads CPU time (user + system) of this process and of the PostgreSQL server's processes, which load on a shared machine does not inflate the way it inflates wall time.</summary>
internal sealed class CpuClock(int postmasterPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public (double Client, double Server) Now() => (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ServerSeconds());

    private double ServerSeconds()
    {
        double total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == postmasterPid || parent == postmasterPid)
                {
                    total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
                }
            }
            catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return total;
    }
}
