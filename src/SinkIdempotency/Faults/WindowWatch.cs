using SinkIdempotency.Evidence;

namespace SinkIdempotency.Faults;

/// <summary>Says which crash window <see cref="WindowKill"/> watches for, on whose worker, and for how long.</summary>
/// <param name="Kind">The window.</param>
/// <param name="Task">The task whose worker is killed.</param>
/// <param name="MinimumAhead">The window's least size (rows ahead, or records behind) that opens it.</param>
/// <param name="Timeout">How long to watch at most.</param>
/// <param name="UntilStreamEnds">Whether the watch also ends, without a kill, once every record was produced and committed with the window never open.</param>
internal sealed record WindowWatch(CrashWindowKind Kind, int Task, long MinimumAhead, TimeSpan Timeout, bool UntilStreamEnds = true);
