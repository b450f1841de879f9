namespace SinkIdempotency.Evidence;

/// <summary>Describes the window a worker was killed in: what was observed at the kill, and what the reads after it confirmed.</summary>
/// <remarks>
/// Where the environment can freeze workers the kill is placed on a frozen worker: it is frozen, the environment waits
/// until the broker and the database have handled what it had already sent, the target and the committed offsets are
/// read (twice, until two reads agree), and the worker is killed only if the window is open, without running again.
/// The reads after the kill confirm it: committed offsets never move backwards without a reset, a killed worker commits
/// nothing more and its open transaction is rolled back, so rows at or past the offsets read after the kill were written
/// and not committed when it died (<see cref="RowsAhead"/>), and records below them that the target lacks were committed
/// and not written (<see cref="RecordsBehind"/>).
/// </remarks>
public sealed record CrashWindow
{
    /// <summary>Gets which window the kill aimed at.</summary>
    /// <value><see cref="CrashWindowKind.TargetAheadOfCommit"/> unless the fault aims at the loss window.</value>
    public CrashWindowKind Kind { get; init; } = CrashWindowKind.TargetAheadOfCommit;

    /// <summary>Gets the worker that was killed.</summary>
    /// <value>The Connect worker id.</value>
    public required string WorkerId { get; init; }

    /// <summary>Gets the tasks the worker ran when it was killed.</summary>
    /// <value>Task numbers.</value>
    public required IReadOnlyList<int> Tasks { get; init; }

    /// <summary>Gets the rows written but not committed, counted against the committed offsets read after the kill.</summary>
    /// <value>Zero when the target was not ahead.</value>
    public required long RowsAhead { get; init; }

    /// <summary>Gets the records committed past but absent from the target, counted against the offsets and the target read after the kill.</summary>
    /// <value>Zero when the commit was not ahead (poison and superseded records do not count).</value>
    public long RecordsBehind { get; init; }

    /// <summary>Gets a value indicating whether the kill provably landed inside the window it aimed at.</summary>
    /// <value><see langword="true"/> when <see cref="RowsAhead"/> (or, for the loss window, <see cref="RecordsBehind"/>) is positive.</value>
    public bool InsideWindow => Kind == CrashWindowKind.CommitAheadOfTarget ? RecordsBehind > 0 : RowsAhead > 0;

    /// <summary>Gets the size of the window observed at the kill, before the confirming reads.</summary>
    /// <value>Rows ahead (or records behind, for the loss window) in the last observation before the kill.</value>
    public long ObservedAtKill { get; init; }

    /// <summary>Gets a value indicating whether the worker was frozen while the window was observed and killed without running again.</summary>
    /// <value><see langword="false"/> on environments that cannot freeze workers: the kill followed the observation, and only the reads after it prove where it landed.</value>
    public bool Frozen { get; init; }

    /// <summary>Gets a value indicating whether the environment confirmed that the servers had handled everything the frozen worker sent.</summary>
    /// <value><see langword="null"/> when the worker was not frozen.</value>
    public bool? Drained { get; init; }

    /// <summary>Gets what the environment checked when it froze the worker.</summary>
    /// <value><see langword="null"/> when the worker was not frozen.</value>
    public string? FreezeDetail { get; init; }

    /// <summary>Gets how long the worker was frozen before it was killed.</summary>
    /// <value><see langword="null"/> when the worker was not frozen.</value>
    public TimeSpan? FrozenFor { get; init; }

    /// <summary>Gets how many times the worker was frozen before the kill, this one included; earlier freezes found the window closed and thawed it.</summary>
    /// <value>Zero when the worker was not frozen.</value>
    public int Freezes { get; init; }

    /// <summary>Gets the figures per partition.</summary>
    /// <value>One entry per partition of the source topic.</value>
    public required IReadOnlyList<CrashWindowPartition> Partitions { get; init; }
}
