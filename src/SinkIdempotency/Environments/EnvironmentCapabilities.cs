namespace SinkIdempotency.Environments;

/// <summary>Names what an environment can do beyond running Kafka, Connect and the target; a scenario needing a missing one is skipped with a reason.</summary>
[Flags]
public enum EnvironmentCapabilities
{
    /// <summary>Declares no optional capability.</summary>
    None = 0,

    /// <summary>Declares that a worker can be killed hard (SIGKILL), without a graceful shutdown or a final offset commit.</summary>
    KillWorker = 1,

    /// <summary>Declares that a worker can be added to the Connect cluster.</summary>
    AddWorker = 2,

    /// <summary>Declares that a worker can be restarted (stopped gracefully and started again).</summary>
    RestartWorker = 4,

    /// <summary>Declares that network faults can be injected between the connectors and the target (a <see cref="Proxy.TargetFaultProxy"/> on their path).</summary>
    TargetFaults = 8,

    /// <summary>Declares that the broker can fail, delay or hold Kafka requests on demand.</summary>
    BrokerFaults = 16,

    /// <summary>Declares that a worker can be frozen and thawed (SIGSTOP/SIGCONT, <c>docker pause</c>/<c>unpause</c>), so a kill can be placed on a state that cannot move.</summary>
    FreezeWorker = 32,

    /// <summary>Declares that a worker can be started on standby (running, not yet in the Connect cluster) and admitted later, so it joins within a second.</summary>
    StandbyWorker = 64,
}
