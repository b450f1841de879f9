namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="CrashAfterTargetWrite"/>.</summary>
public sealed record CrashAfterTargetWriteOptions
{
    /// <summary>Gets the number of target rows that must be written past the committed offsets before the worker is killed.</summary>
    /// <value>1: any row written and not yet committed opens the window.</value>
    public int MinimumRowsAhead { get; init; } = 1;

    /// <summary>Gets the task whose worker is killed.</summary>
    /// <value>0.</value>
    public int Task { get; init; }

    /// <summary>Gets how long the trigger watches for the window before giving up (the scenario is then red: the fault was never injected).</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether the killed worker is started again, so the task resumes from the committed offsets.</summary>
    /// <value><see langword="true"/>; with <see langword="false"/> the surviving workers must take the task over.</value>
    public bool RestartWorker { get; init; } = true;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumRowsAhead, 1, nameof(MinimumRowsAhead));
        ArgumentOutOfRangeException.ThrowIfNegative(Task, nameof(Task));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
