namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="Replay"/>.</summary>
public sealed record ReplayOptions
{
    /// <summary>Gets how the offsets are reset.</summary>
    /// <value><see cref="ReplayResetMethod.Automatic"/>.</value>
    public ReplayResetMethod Method { get; init; } = ReplayResetMethod.Automatic;

    /// <summary>Gets how many records per partition to rewind, or <see langword="null"/> to replay from the beginning.</summary>
    /// <value><see langword="null"/>: the whole topic is replayed.</value>
    public long? RewindBy { get; init; }

    /// <summary>Gets how long to wait for the connector to stop and to run again.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        if (RewindBy is { } rewind)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rewind, 1, nameof(RewindBy));
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Use Automatic, OffsetsApi or ConsumerGroup.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
