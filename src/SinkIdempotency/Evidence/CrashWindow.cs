namespace SinkIdempotency.Evidence;

/// <summary>Describes the window between target write and offset commit at the moment a worker was killed.</summary>
/// <remarks>
/// The committed offsets are read before the kill and again right after it. Committed offsets never move backwards
/// without a reset, and a killed worker commits nothing more, so rows whose source offset is at or past the offset read
/// after the kill were provably written but not committed when the worker died: the kill landed inside the window.
/// </remarks>
public sealed record CrashWindow
{
    /// <summary>Gets the worker that was killed.</summary>
    /// <value>The Connect worker id.</value>
    public required string WorkerId { get; init; }

    /// <summary>Gets the tasks the worker ran when it was killed.</summary>
    /// <value>Task numbers.</value>
    public required IReadOnlyList<int> Tasks { get; init; }

    /// <summary>Gets the rows written but not committed, counted against the committed offsets read after the kill.</summary>
    /// <value>Zero when the kill missed the window.</value>
    public required long RowsAhead { get; init; }

    /// <summary>Gets a value indicating whether the kill provably landed inside the window.</summary>
    /// <value><see langword="true"/> when <see cref="RowsAhead"/> is positive.</value>
    public bool InsideWindow => RowsAhead > 0;

    /// <summary>Gets the figures per partition.</summary>
    /// <value>One entry per partition of the source topic.</value>
    public required IReadOnlyList<CrashWindowPartition> Partitions { get; init; }
}
