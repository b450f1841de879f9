namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="OffsetCommitTimeout"/>.</summary>
public sealed record OffsetCommitTimeoutOptions
{
    /// <summary>Gets the number of rows the target must hold before commits start failing, so the sink is mid-stream.</summary>
    /// <value>0: commits fail from the first one, so the kill lands while the stream runs even when it is short.</value>
    public int AfterTargetRows { get; init; }

    /// <summary>Gets how many of the group's offset commits the broker must apply and answer with <c>REQUEST_TIMED_OUT</c> before the worker is killed.</summary>
    /// <value>1: the worker has gone at least one flush interval without hearing that its commit succeeded.</value>
    public int FailedCommits { get; init; } = 1;

    /// <summary>Gets the task whose worker is killed.</summary>
    /// <value>0.</value>
    public int Task { get; init; }

    /// <summary>Gets how long the fault waits for each of its steps (rows in the target, failed commits, the crash window) before giving up.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether the killed worker is started again, so the task resumes from the group's committed offsets.</summary>
    /// <value><see langword="true"/>; with <see langword="false"/> the surviving workers must take the task over.</value>
    public bool RestartWorker { get; init; } = true;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(AfterTargetRows, nameof(AfterTargetRows));
        ArgumentOutOfRangeException.ThrowIfLessThan(FailedCommits, 1, nameof(FailedCommits));
        ArgumentOutOfRangeException.ThrowIfNegative(Task, nameof(Task));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
