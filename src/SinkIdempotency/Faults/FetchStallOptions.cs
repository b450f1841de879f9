namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="FetchStall"/>.</summary>
public sealed record FetchStallOptions
{
    /// <summary>Gets the number of rows the target must hold before the fetches stall, so the sink is mid-stream.</summary>
    /// <value>100: a tenth of the known answers' stream, so the rest of it queues up behind the stall.</value>
    public int AfterTargetRows { get; init; } = 100;

    /// <summary>Gets how long the broker holds the sink consumers' fetches, counted from the first one it held; then it serves them.</summary>
    /// <value>
    /// Five seconds: ten times the consumers' <c>fetch.max.wait.ms</c> / <c>fetch.wait.max.ms</c> (500 ms), within the Java
    /// consumer's <c>request.timeout.ms</c> (30 s) and librdkafka's <c>socket.timeout.ms</c> (60 s). A longer stall makes the
    /// client give up on the request and reconnect; the held request then ends with its connection.
    /// </value>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long the fault waits for each of its steps (rows in the target, the first fetch to hold) before giving up.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(AfterTargetRows, nameof(AfterTargetRows));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Duration, TimeSpan.Zero, nameof(Duration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TriggerTimeout, TimeSpan.Zero, nameof(TriggerTimeout));
    }
}
