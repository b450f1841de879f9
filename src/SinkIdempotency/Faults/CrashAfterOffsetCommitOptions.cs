namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="CrashAfterOffsetCommit"/>.</summary>
public sealed record CrashAfterOffsetCommitOptions : CrashInWindowOptions
{
    /// <summary>Gets the number of records that must be committed past and absent from the target before the worker is killed.</summary>
    /// <value>1: any committed record the target does not hold opens the window.</value>
    public int MinimumRecordsBehind { get; init; } = 1;

    internal override int MinimumWindow => MinimumRecordsBehind;

    internal override string MinimumWindowName => nameof(MinimumRecordsBehind);
}
