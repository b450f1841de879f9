namespace SinkIdempotency.Faults;

/// <summary>Configures the settings <see cref="CrashAfterTargetWrite"/> and <see cref="CrashAfterOffsetCommit"/> share; each names its own window size.</summary>
public abstract record CrashInWindowOptions
{
    private protected CrashInWindowOptions()
    {
    }

    /// <summary>Gets the task whose worker is killed.</summary>
    /// <value>0.</value>
    public int Task { get; init; }

    /// <summary>Gets how long the trigger watches for the window at most before giving up.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether the killed worker is started again, so the task resumes from the committed offsets.</summary>
    /// <value><see langword="true"/>; with <see langword="false"/> the surviving workers must take the task over.</value>
    public bool RestartWorker { get; init; } = true;

    /// <summary>Gets the window size (rows or records) that must be open before the worker is killed.</summary>
    internal abstract int MinimumWindow { get; }

    /// <summary>Gets the name of the option that sets <see cref="MinimumWindow"/>, for the error message.</summary>
    internal abstract string MinimumWindowName { get; }

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumWindow, 1, MinimumWindowName);
        ArgumentOutOfRangeException.ThrowIfNegative(Task, nameof(Task));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
