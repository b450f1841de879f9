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

    // x86-64 system calls a thread may be waiting in when the stop reaches it: a signal ends or restarts the wait, and the
    // thread stops before it returns to user space, having sent nothing (futex, epoll_wait, epoll_pwait, epoll_pwait2,
    // poll, ppoll, select, pselect6, nanosleep, clock_nanosleep, rt_sigtimedwait, rt_sigsuspend, pause, wait4, waitid,
    // sched_yield, futex_waitv, read, recvfrom, recvmsg, accept, accept4).
    private static readonly HashSet<int> WaitingSyscallsX64 = [202, 232, 281, 441, 7, 271, 23, 270, 35, 230, 128, 130, 34, 61, 247, 24, 449, 0, 45, 47, 43, 288];

    /// <summary>Tells whether a process sent SIGSTOP can no longer run its own code or send a byte: its group stop has begun (a thread is stopped) and every other thread is stopped, or is off the CPU in user space or waiting in a receive or wait call, so it stops the next time it is scheduled.</summary>
    /// <remarks>
    /// On a loaded machine the last threads may wait hundreds of milliseconds for a CPU before they take the stop; waiting
    /// for state <c>T</c> on each would make a freeze fail exactly when it matters. A thread preempted in user space
    /// (<c>/proc/…/syscall</c> reads <c>-1</c>) or waiting in a blocking call has the stop pending once the group stop
    /// began, and takes it before it returns to user space. A thread running on a CPU, in uninterruptible sleep in
    /// another call, or in a call that could send (write, sendmsg, …) does not count. Outside x86-64 only state
    /// <c>T</c> counts.
    /// </remarks>
    /// <param name="pid">The process.</param>
    /// <param name="running">The threads that can still run, as <c>tid:state:syscall</c>, when the answer is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when no thread can run code before it stops, or the process is gone.</returns>
    public static bool StopIsCertain(int pid, out string running)
    {
        running = string.Empty;
        if (ThreadStates(pid) is not { } threads)
        {
            return true;
        }

        var stopped = 0;
        List<string>? late = null;
        foreach (var (task, state) in threads)
        {
            if (state is 'T' or 't' or 'Z' or 'X')
            {
                stopped++;
                continue;
            }

            var call = ReadSyscall(task);
            if (state is 'R' or 'S' && RuntimeInformation.OSArchitecture == Architecture.X64 && call is { } nr && (nr == -1 || WaitingSyscallsX64.Contains(nr)))
            {
                continue;
            }

            (late ??= []).Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(task)}:{state}:{(call is { } c ? c.ToString(CultureInfo.InvariantCulture) : "running")}"));
        }

        if (late is null && stopped > 0)
        {
            return true;
        }

        running = late is null ? "no thread has taken the stop yet" : string.Join(' ', late);
        return false;
    }

    /// <summary>Tells whether every thread of a process is stopped by a signal (state <c>T</c>), so it runs no code until continued.</summary>
    /// <returns><see langword="true"/> when all threads are stopped, or the process is gone.</returns>
    public static bool AllThreadsStopped(int pid) =>
        ThreadStates(pid) is not { } threads || threads.TrueForAll(t => t.State is 'T' or 't' or 'Z' or 'X');

    // Each thread's /proc/<pid>/task folder and state letter; null when the process is gone. A thread that ends while the folder is read is left out.
    private static List<(string Task, char State)>? ThreadStates(int pid)
    {
        var threads = new List<(string Task, char State)>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/task")))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    threads.Add((task, stat[stat.LastIndexOf(')') + 2]));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // The thread ended while the folder was read.
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return threads;
    }

    public static async Task SignalAsync(int pid, string signal, CancellationToken cancellationToken) =>
        await ProcessRunner.RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);

    // The system call a thread is in (-1: in user space), or null while it runs on a CPU or cannot be read.
    private static int? ReadSyscall(string task)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(task, "syscall"));
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            return int.TryParse(end < 0 ? text.Trim() : text[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var nr) ? nr : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

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
