using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Configures a rollback dual run: the records it produces, when it stops the legacy path, and how long it waits.</summary>
public sealed record DualRunOptions
{
    /// <summary>Gets the workload produced to the shared topic, before and after the legacy path is stopped.</summary>
    /// <value>1,000 records over 3 partitions and 100 keys (the scenario default).</value>
    public ScenarioWorkload Workload { get; init; } = new();

    /// <summary>Gets the index of the first record produced after the legacy path is stopped.</summary>
    /// <value>600: 600 records reach both paths, the last 400 only the new one.</value>
    public int StopBefore { get; init; } = 600;

    /// <summary>Gets how long each wait may take: the connectors to run, both groups to reach the log end, the new group to reach it after the stop.</summary>
    /// <value>90 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Gets the pause between two checks while waiting.</summary>
    /// <value>100 milliseconds.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the clock for the waits.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown naming the option.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StopBefore, 1, nameof(StopBefore));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(StopBefore, Workload.Records, nameof(StopBefore));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
    }
}
