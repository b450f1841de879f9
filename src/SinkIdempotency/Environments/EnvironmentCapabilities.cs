namespace SinkIdempotency.Environments;

/// <summary>Names what an environment can do beyond running Kafka, Connect and the target; a scenario that needs a missing capability is skipped with the reason.</summary>
/// <remarks>
/// An environment (<see cref="ISinkEnvironment.Capabilities"/>) reports what its machinery can do; the runner adds what it
/// learns by asking the clusters (<see cref="OffsetsApi"/>, <see cref="ConsumerGroupReset"/>) and the optional abilities the
/// environment implements (<see cref="IWorkerLogReader"/> gives <see cref="WorkerLogs"/>). A fault declares the flags it
/// needs in <see cref="Faults.Fault.RequiredCapabilities"/>.
/// </remarks>
[Flags]
public enum EnvironmentCapabilities
{
    /// <summary>Declares no optional capability.</summary>
    None = 0,

    /// <summary>Declares that a worker can be killed hard (SIGKILL or <c>docker kill</c>), without a graceful shutdown or a final offset commit.</summary>
    KillWorker = 1,

    /// <summary>Declares that a worker can be added to the Connect cluster (and removed again).</summary>
    AddWorker = 2,

    /// <summary>Declares that a worker can be restarted under the same identity.</summary>
    RestartWorker = 4,

    /// <summary>Declares that the connectors reach the target through the <see cref="Proxy.TargetFaultProxy"/>, so network faults can be injected on that path.</summary>
    TargetFaultProxy = 8,

    /// <summary>Declares that the Connect cluster serves the KIP-875 offsets API (<c>PATCH</c>/<c>DELETE /connectors/{name}/offsets</c>, Kafka Connect 3.6 and later).</summary>
    OffsetsApi = 16,

    /// <summary>Declares that the offsets of a consumer group can be altered or deleted directly through the Kafka admin API.</summary>
    ConsumerGroupReset = 32,

    /// <summary>Declares that the recent log lines of a worker can be read.</summary>
    WorkerLogs = 64,

    /// <summary>Declares that a worker can be frozen and thawed (SIGSTOP/SIGCONT, <c>docker pause</c>/<c>unpause</c>), so a kill can be placed on a state that cannot move.</summary>
    FreezeWorker = 128,

    /// <summary>Declares that a worker can be started on standby (running, not yet in the Connect cluster) and admitted later, so it joins within a second.</summary>
    StandbyWorker = 256,

    /// <summary>Declares that the broker can fail, delay or hold Kafka requests on demand.</summary>
    BrokerFaults = 512,

    /// <summary>Declares that the cluster deletes records on request (Kafka's DeleteRecords), so history can be cut as retention cuts it.</summary>
    DeleteRecords = 1024,
}
