namespace SinkIdempotency.Scenarios;

/// <summary>Names what an environment can do beyond deploying a connector and reading the target; a scenario that needs a missing capability is skipped with the reason.</summary>
[Flags]
public enum ScenarioCapabilities
{
    /// <summary>Nothing beyond the basics.</summary>
    None = 0,

    /// <summary>Kills a worker process without warning (SIGKILL or <c>docker kill</c>).</summary>
    KillWorker = 1,

    /// <summary>Starts an additional worker that joins the Connect cluster.</summary>
    AddWorker = 2,

    /// <summary>Starts a killed or stopped worker again under the same identity.</summary>
    RestartWorker = 4,

    /// <summary>Routes the connector's target connections through the target fault proxy.</summary>
    TargetFaultProxy = 8,

    /// <summary>Serves the KIP-875 offsets API (<c>PATCH</c>/<c>DELETE /connectors/{name}/offsets</c>, Kafka Connect 3.6 and later).</summary>
    OffsetsApi = 16,

    /// <summary>Alters or deletes the offsets of a consumer group directly through the Kafka admin API.</summary>
    ConsumerGroupReset = 32,

    /// <summary>Returns the recent log lines of a worker.</summary>
    WorkerLogs = 64,

    /// <summary>Freezes and thaws a worker (SIGSTOP/SIGCONT or <c>docker pause</c>/<c>unpause</c>), so a crash can be placed on a state that cannot move.</summary>
    FreezeWorker = 128,

    /// <summary>Starts a worker on standby and admits it into the Connect cluster later, so a join lands within a second.</summary>
    StandbyWorker = 256,
}
