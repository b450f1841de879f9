using SinkIdempotency.Reconciliation;

namespace SinkIdempotency.Scenarios;

/// <summary>Configures a <see cref="ScenarioRunner"/>.</summary>
public sealed record ScenarioRunnerOptions
{
    /// <summary>Gets the folder evidence and reports are written to, one sub-folder per run.</summary>
    /// <value><c>sink-idempotency-results</c> under the current directory.</value>
    public string OutputDirectory { get; init; } = Path.Combine(Environment.CurrentDirectory, "sink-idempotency-results");

    /// <summary>Gets how often triggers and fault windows are polled.</summary>
    /// <value>25 milliseconds.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Gets how often the settle check reads the offsets, the connector's state and the target once the records are produced.</summary>
    /// <value>
    /// 200 milliseconds: the check waits for a quiet period of a second or more, so a finer poll only costs CPU (every poll
    /// reads the whole target and asks the worker for its status); fault windows are watched every <see cref="PollInterval"/>.
    /// </value>
    public TimeSpan SettlePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets how often the timeline samples offsets, connector states and the target while records flow.</summary>
    /// <value>250 milliseconds.</value>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets the number of log lines kept per worker in the evidence.</summary>
    /// <value>200.</value>
    public int WorkerLogLines { get; init; } = 200;

    /// <summary>Gets a value indicating whether the run's connector, topics and table are kept for debugging instead of removed.</summary>
    /// <value><see langword="false"/>: everything the run created is removed on every path.</value>
    public bool KeepResources { get; init; }

    /// <summary>Gets the run id to use, or <see langword="null"/> for a fresh random one.</summary>
    /// <value><see langword="null"/>.</value>
    public string? RunId { get; init; }

    /// <summary>Gets the reconciler options.</summary>
    /// <value>The <see cref="ReconcilerOptions"/> defaults (10 examples per anomaly).</value>
    public ReconcilerOptions Reconciler { get; init; } = new();

    /// <summary>Gets the clock.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets how long after a harness action (the deployment, a fault's action) a change of the sink's consumer group is still put down to it when the group has not changed since; later changes are warned about as unplanned rebalances.</summary>
    /// <value>20 seconds: a killed worker's consumer leaves the group only when its session times out (6 s in the Docker matrix, up to 45 s with Connect's defaults, where such rebalances count as unplanned once this passes).</value>
    public TimeSpan RebalanceGrace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SettlePollInterval, TimeSpan.Zero, nameof(SettlePollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SampleInterval, TimeSpan.Zero, nameof(SampleInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(WorkerLogLines, nameof(WorkerLogLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(RebalanceGrace, TimeSpan.Zero, nameof(RebalanceGrace));
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Reconciler.Validate();
    }
}
