namespace SinkIdempotency.Kafka;

/// <summary>Configures a <see cref="KafkaProbe"/>.</summary>
public sealed class KafkaProbeOptions
{
    /// <summary>Gets or sets the timeout of each admin operation and of reading a topic to its end.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many produced records may await their delivery report at once.</summary>
    /// <value>The default is 10,000.</value>
    public int MaxInFlight { get; set; } = 10_000;

    /// <summary>Gets or sets the clock for produce times, rate pacing and deadlines.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
