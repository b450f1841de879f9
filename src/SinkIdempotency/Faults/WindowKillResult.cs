using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Reports how a <see cref="WindowKill"/> watch ended.</summary>
/// <param name="Window">The window at the kill, or <see langword="null"/> when no worker was killed.</param>
/// <param name="Worker">The killed worker, or <see langword="null"/>.</param>
/// <param name="Observations">How many times the window was read.</param>
/// <param name="Freezes">How many times the worker was frozen.</param>
/// <param name="StreamEnded">Whether the watch ended because every record was produced and committed with the window never open.</param>
/// <param name="LargestSeen">The largest window size any observation saw.</param>
/// <param name="MidStreamCommits">How many observations found the group's committed offsets (of the watched partitions) moved forward while they were still short of what was produced, or while the stream was not all produced (a commit at a held step): commits a crash window could race.</param>
internal sealed record WindowKillResult(CrashWindow? Window, WorkerInfo? Worker, long Observations, int Freezes, bool StreamEnded, long LargestSeen, int MidStreamCommits)
{
    /// <summary>Gets how many of the <see cref="Freezes"/> could not be checked: the freeze failed, or the server that could close the window was not drained in time.</summary>
    public int FreezesUnchecked { get; init; }

    /// <summary>Gets the largest size of the other crash window any observation saw: records behind when watching for rows ahead, and the reverse.</summary>
    /// <remarks>
    /// Zero means the observations never resolved the sink's order of writing and committing, so a shut window proves nothing.
    /// Measured across two consecutive observations (<see cref="FaultContext.OppositeWindowSize"/>) so that a write and
    /// its commit landing between the reads of one observation do not show as an opposite window that never was.
    /// </remarks>
    public long LargestOppositeSeen { get; init; }

    /// <summary>Gets why the last unchecked freeze could not be checked, or <see langword="null"/>.</summary>
    public string? LastUnchecked { get; init; }
}
