namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="ReplayBeyondRetention"/>.</summary>
public sealed record ReplayBeyondRetentionOptions
{
    /// <summary>Gets the share of each partition's records, oldest first, that the cut deletes (as retention would have by the time of the replay).</summary>
    /// <value>0.5: the older half of every partition goes; at least one record goes and at least one stays in a partition of two or more.</value>
    public double DeletedShare { get; init; } = 0.5;

    /// <summary>Gets a value indicating whether the run's target table is dropped before the replay, so the replay rebuilds it from what Kafka still holds.</summary>
    /// <value>
    /// <see langword="true"/>: the realistic case, a target rebuilt from Kafka after an incident. With <see langword="false"/> the
    /// replay runs over the target as it is; the records written before the cut are still there, so nothing shows as lost.
    /// </value>
    public bool RebuildTarget { get; init; } = true;

    /// <summary>Gets how the offsets are reset to the beginning.</summary>
    /// <value><see cref="ReplayResetMethod.Automatic"/>.</value>
    public ReplayResetMethod Method { get; init; } = ReplayResetMethod.Automatic;

    /// <summary>Gets how long to wait for the connector to stop and to run again.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        if (!(DeletedShare > 0 && DeletedShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DeletedShare), DeletedShare, "Use a share above 0 and below 1, e.g. 0.5 to delete the older half of each partition.");
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, "Use Automatic, OffsetsApi or ConsumerGroup.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
