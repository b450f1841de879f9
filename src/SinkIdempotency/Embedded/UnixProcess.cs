using System.Globalization;

namespace SinkIdempotency.Embedded;

/// <summary>Looks at other processes through <c>/proc</c> and signals them with <c>kill</c>.</summary>
internal static class UnixProcess
{
    private static readonly Lazy<bool> IsRootLazy = new(() => ReadEffectiveUid() == 0);

    public static bool IsRoot => IsRootLazy.Value;

    public static int CurrentPid => Environment.ProcessId;

    /// <summary>Reads a process's start time in clock ticks since boot, which tells a live owner from a reused pid.</summary>
    public static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name in field 2 may hold spaces and parentheses, so fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid, long? expectedStartTicks = null)
    {
        var ticks = StartTicks(pid);
        return ticks is not null && (expectedStartTicks is null || ticks == expectedStartTicks) && !IsZombie(pid);
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    public static async Task SignalAsync(int pid, string signal, CancellationToken cancellationToken) =>
        await ProcessRunner.RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int ReadEffectiveUid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    // Uid: real effective saved filesystem
                    return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return Environment.UserName == "root" ? 0 : -1;
    }
}
