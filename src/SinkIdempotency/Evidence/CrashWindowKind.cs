namespace SinkIdempotency.Evidence;

/// <summary>Names the two windows a sink can be crashed in.</summary>
public enum CrashWindowKind
{
    /// <summary>The target is ahead of the committed offsets: rows written whose offsets are not committed. A crash here replays them (duplicates unless the sink is idempotent).</summary>
    TargetAheadOfCommit,

    /// <summary>The committed offsets are ahead of the target: records committed past that the target does not hold yet. A crash here loses them unless the sink made them durable elsewhere.</summary>
    CommitAheadOfTarget,
}
