using System.Globalization;

namespace SinkIdempotency.Benchmarks;

/// <summary>Reads every process's line of <c>/proc/PID/stat</c>: its parent, CPU time and resident memory.</summary>
internal readonly record struct ProcStat(int Pid, int Parent, long CpuTicks, long RssKilobytes)
{
    /// <summary>The clock ticks per second of <see cref="CpuTicks"/> (USER_HZ on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>Lists the processes running now; one that ends while it is read is left out.</summary>
    public static IEnumerable<ProcStat> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            ProcStat? stat = null;
            try
            {
                var line = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = line[(line.LastIndexOf(')') + 2)..].Split(' ');
                stat = new ProcStat(
                    pid,
                    int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture),
                    long.Parse(fields[21], CultureInfo.InvariantCulture) * 4);
            }
            catch (Exception exception) when (exception is IOException or FormatException or UnauthorizedAccessException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }

            if (stat is { } found)
            {
                yield return found;
            }
        }
    }
}
