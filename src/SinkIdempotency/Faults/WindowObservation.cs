using SinkIdempotency.Evidence;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Holds one observation of the crash windows on the partitions of the tasks that would die: the target, the committed offsets, and the records committed but not written.</summary>
/// <param name="Progress">The target's located rows.</param>
/// <param name="Committed">The committed offsets.</param>
/// <param name="Behind">Per partition, the records below the committed offset that the target holds no row of.</param>
internal sealed record WindowObservation(TargetProgress Progress, IReadOnlyDictionary<SourcePartition, long> Committed, IReadOnlyDictionary<SourcePartition, long> Behind)
{
    /// <summary>Gets the rows at or past the committed offsets.</summary>
    public long RowsAhead => Progress.RowsAhead(Committed);

    /// <summary>Gets the records committed past and absent from the target.</summary>
    public long RecordsBehind => Behind.Values.Sum();

    /// <summary>Returns the size of one window.</summary>
    public long Size(CrashWindowKind kind) => kind == CrashWindowKind.CommitAheadOfTarget ? RecordsBehind : RowsAhead;

    /// <summary>Tells whether two observations agree on what could close a window: the committed offsets for rows ahead, the located rows for records behind.</summary>
    /// <remarks>What can only widen a window (rows still landing while the target is ahead, commits while the commit is ahead) may differ.</remarks>
    public bool SameAs(WindowObservation other, CrashWindowKind kind) => kind == CrashWindowKind.CommitAheadOfTarget
        ? Progress.Offsets.Count == other.Progress.Offsets.Count
            && Progress.Offsets.All(p => other.Progress.Offsets.TryGetValue(p.Key, out var o) && o.Count == p.Value.Count && o.Sum() == p.Value.Sum())
        : Committed.Count == other.Committed.Count
            && Committed.All(c => other.Committed.TryGetValue(c.Key, out var o) && o == c.Value);
}
