namespace SinkIdempotency.Reconciliation;

/// <summary>Configures a <see cref="Reconciler"/>.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>Gets the most examples kept per anomaly kind; counts are always exact.</summary>
    /// <value>10.</value>
    public int MaxExamplesPerAnomaly { get; init; } = 10;

    /// <summary>Gets the clock that stamps reports.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when <see cref="MaxExamplesPerAnomaly"/> is negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxExamplesPerAnomaly);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
