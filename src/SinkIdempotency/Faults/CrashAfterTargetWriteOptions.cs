namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="CrashAfterTargetWrite"/>.</summary>
public sealed record CrashAfterTargetWriteOptions : CrashInWindowOptions
{
    /// <summary>Gets the number of target rows that must be written past the committed offsets before the worker is killed.</summary>
    /// <value>1: any row written and not yet committed opens the window.</value>
    public int MinimumRowsAhead { get; init; } = 1;

    internal override int MinimumWindow => MinimumRowsAhead;

    internal override string MinimumWindowName => nameof(MinimumRowsAhead);
}
