namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="CrashAfterOffsetCommit"/>.</summary>
public sealed record CrashAfterOffsetCommitOptions
{
    /// <summary>Gets the number of records that must be committed past and absent from the target before the worker is killed.</summary>
    /// <value>1: any committed record the target does not hold opens the window.</value>
    public int MinimumRecordsBehind { get; init; } = 1;

    /// <summary>Gets the task whose worker is killed.</summary>
    /// <value>0.</value>
    public int Task { get; init; }

    /// <summary>Gets how long the trigger watches at most; the watch ends earlier, with a finding, once the whole stream was committed with the window never open.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether the killed worker is started again, so the task resumes from the committed offsets.</summary>
    /// <value><see langword="true"/>; with <see langword="false"/> the surviving workers must take the task over.</value>
    public bool RestartWorker { get; init; } = true;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumRecordsBehind, 1, nameof(MinimumRecordsBehind));
        ArgumentOutOfRangeException.ThrowIfNegative(Task, nameof(Task));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
