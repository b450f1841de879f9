using System.Diagnostics;

namespace SinkIdempotency.Benchmarks;

/// <summary>Reads CPU time (user + system) of this process and of the PostgreSQL server's processes, which load on a shared machine does not inflate the way it inflates wall time.</summary>
internal sealed class CpuClock(int postmasterPid)
{
    public (double Client, double Server) Now() => (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ServerSeconds());

    private double ServerSeconds() =>
        ProcStat.All().Where(p => p.Pid == postmasterPid || p.Parent == postmasterPid).Sum(p => p.CpuTicks / ProcStat.TicksPerSecond);
}
