namespace SinkIdempotency.Faults;

/// <summary>Configures <see cref="Rebalance"/>.</summary>
public sealed record RebalanceOptions
{
    /// <summary>Gets what moves the partitions.</summary>
    /// <value><see cref="RebalanceKind.WorkerJoins"/>.</value>
    public RebalanceKind Kind { get; init; } = RebalanceKind.WorkerJoins;

    /// <summary>Gets the share of the workload produced before the rebalance is set off, so it happens mid-stream.</summary>
    /// <value>0.3: a joining worker is admitted, or a worker killed, once 30% of the records are produced.</value>
    public double AtProgress { get; init; } = 0.3;

    /// <summary>Gets a value indicating whether a dying worker is killed only while the target is ahead of the committed offsets (as in <see cref="CrashAfterTargetWrite"/>).</summary>
    /// <value><see langword="false"/>: the worker dies when <see cref="AtProgress"/> is reached, wherever the commit stands.</value>
    /// <remarks>
    /// The stream holds at <see cref="AtProgress"/> until the group has committed every record produced so far, then goes
    /// on in held steps while the death is placed (each step released once the group committed the one before it), so the sink takes records in as they come while it dies (the evidence says how long
    /// it held: <c>hold-stream</c>). When the target never runs ahead of the commits over the whole stream, that is
    /// reported as a finding and no worker dies.
    /// </remarks>
    public bool KillWhileTargetAhead { get; init; }

    /// <summary>Gets the number of tasks the connector runs when the scenario does not set <c>tasks.max</c>.</summary>
    /// <value>2, so the tasks can be spread over two workers.</value>
    public int TasksMax { get; init; } = 2;

    /// <summary>Gets how long the fault waits for its trigger, and then for the tasks to run again after the rebalance.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options and throws when they cannot be used.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Thrown when a value is out of range.</exception>
    public void Validate()
    {
        if (AtProgress is < 0 or > 1 || double.IsNaN(AtProgress))
        {
            throw new ArgumentOutOfRangeException(nameof(AtProgress), AtProgress, "Use a share of the workload between 0 and 1.");
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Use WorkerJoins or WorkerDies.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(TasksMax, 1, nameof(TasksMax));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
