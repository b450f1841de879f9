namespace SinkIdempotency.Faults;

/// <summary>Chooses what moves the sink's partitions between workers in a <see cref="Rebalance"/>.</summary>
public enum RebalanceKind
{
    /// <summary>A new worker joins the cluster; tasks are revoked gracefully (commit on revocation) and spread out.</summary>
    WorkerJoins,

    /// <summary>The worker running a task is killed; its tasks move to the survivors without a final commit.</summary>
    WorkerDies,
}
