namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="TargetTimeout"/>.</summary>
public sealed record TargetTimeoutOptions
{
    /// <summary>Gets the number of rows the target must hold before responses are withheld, so the sink is mid-stream.</summary>
    /// <value>1.</value>
    public int AfterTargetRows { get; init; } = 1;

    /// <summary>Gets which responses are withheld.</summary>
    /// <value><see cref="TargetTimeoutMode.NextResponse"/>.</value>
    public TargetTimeoutMode Mode { get; init; } = TargetTimeoutMode.NextResponse;

    /// <summary>Gets how long responses are withheld in <see cref="TargetTimeoutMode.AllResponses"/> mode.</summary>
    /// <value>5 seconds.</value>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long the fault waits for its trigger and for the proxy to withhold a response before giving up.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(AfterTargetRows, nameof(AfterTargetRows));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Duration, TimeSpan.Zero, nameof(Duration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Use NextResponse or AllResponses.");
        }
    }
}
