using System.Globalization;
using System.Runtime.InteropServices;

namespace SinkIdempotency.Embedded;

/// <summary>Looks at other processes through <c>/proc</c> and signals them with <c>kill</c>.</summary>
internal static class UnixProcess
{
    /// <summary>The signal that stops a process until <see cref="SigCont"/>; it cannot be caught or ignored.</summary>
    public const int SigStop = 19;

    /// <summary>The signal that continues a stopped process.</summary>
    public const int SigCont = 18;

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

    /// <summary>Sends a signal with the <c>kill</c> system call, without starting a process.</summary>
    /// <returns><see langword="true"/> when the signal was sent; <see langword="false"/> when the process is gone.</returns>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Tells whether every thread of a process is stopped by a signal (state <c>T</c>), so it runs no code until continued.</summary>
    /// <returns><see langword="true"/> when all threads are stopped, or the process is gone.</returns>
    public static bool AllThreadsStopped(int pid)
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/task")))
            {
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(task, "stat"));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // The thread ended while the folder was read.
                    continue;
                }

                var state = stat[stat.LastIndexOf(')') + 2];
                if (state is not ('T' or 't' or 'Z' or 'X'))
                {
                    return false;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return true;
        }

        return true;
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
