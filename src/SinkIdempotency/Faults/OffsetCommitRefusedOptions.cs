namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="OffsetCommitRefused"/>.</summary>
public sealed record OffsetCommitRefusedOptions
{
    /// <summary>Gets the number of rows the target must hold before commits are refused, so the sink is mid-stream.</summary>
    /// <value>0: commits are refused from the first one, so the refusals fall while the stream runs even when it is short.</value>
    public int AfterTargetRows { get; init; }

    /// <summary>Gets the retriable error the broker answers instead of storing a commit.</summary>
    /// <value><see cref="OffsetCommitRefusal.CoordinatorLoadInProgress"/>.</value>
    public OffsetCommitRefusal Error { get; init; } = OffsetCommitRefusal.CoordinatorLoadInProgress;

    /// <summary>Gets how long the broker refuses the group's commits, counted from the first commit it refused; afterwards it stores them normally.</summary>
    /// <value>Three seconds: several offset-flush intervals of the known answers (500 ms), and longer than librdkafka's retry back-off, so retries are refused too.</value>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets how long the fault waits for each of its steps (rows in the target, the first commit to refuse, the first commit stored after the refusals) before giving up.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(AfterTargetRows, nameof(AfterTargetRows));
        if (!Enum.IsDefined(Error))
        {
            throw new ArgumentOutOfRangeException(nameof(Error), Error, $"Error must be one of {string.Join(", ", Enum.GetNames<OffsetCommitRefusal>())}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Duration, TimeSpan.Zero, nameof(Duration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
