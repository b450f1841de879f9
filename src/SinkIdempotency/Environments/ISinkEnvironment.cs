using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Environments;

/// <summary>Gives scenarios one way to reach and control a Kafka cluster, a Kafka Connect cluster and a target store, whether embedded, in containers or external.</summary>
/// <remarks>
/// Operations an environment cannot perform throw <see cref="MissingCapabilityException"/>; check
/// <see cref="Capabilities"/> (or call <see cref="SinkEnvironmentExtensions.RequireCapabilities"/>) first so the scenario is skipped with a reason.
/// </remarks>
public interface ISinkEnvironment : IAsyncDisposable
{
    /// <summary>Gets the environment kind, e.g. <c>embedded</c>, <c>docker</c> or <c>external</c>.</summary>
    string Name { get; }

    /// <summary>Gets what the environment can do beyond the basics.</summary>
    EnvironmentCapabilities Capabilities { get; }

    /// <summary>Gets the Kafka cluster's bootstrap servers and client settings.</summary>
    KafkaEndpoint Kafka { get; }

    /// <summary>Gets the REST URLs of the Connect workers that are running now.</summary>
    IReadOnlyList<Uri> ConnectUrls { get; }

    /// <summary>Gets how the harness and the connectors reach the target.</summary>
    TargetEndpoint Target { get; }

    /// <summary>Gets the fault proxy between connectors and the target, or <see langword="null"/> when the environment has none.</summary>
    TargetFaultProxy? TargetProxy { get; }

    /// <summary>Lists the workers with the tasks each one runs now (from the Connect status API).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The workers, running ones first.</returns>
    Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts one more worker in the same Connect cluster and waits until its REST API answers.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The new worker.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot add workers.</exception>
    Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills a worker hard (SIGKILL): no graceful shutdown, no final offset commit.</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the process to die.</param>
    /// <returns>A task that completes when the worker is dead.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot kill workers.</exception>
    Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>Stops a worker gracefully and starts it again with the same id.</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the restart.</param>
    /// <returns>The restarted worker.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot restart workers.</exception>
    Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>Stops a worker gracefully and for good: it leaves the Connect cluster (its tasks commit and move to the others).</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the worker is gone.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot add (nor remove) workers.</exception>
    /// <remarks>Undoes <see cref="AddWorkerAsync"/>, so a run that added a worker leaves the cluster as it found it.</remarks>
    Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.AddWorker);

    /// <summary>Freezes a worker (SIGSTOP, <c>docker pause</c>) so it runs no code, then waits until what it had already sent is handled.</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="drain">The servers to wait for.</param>
    /// <param name="cancellationToken">Cancels the freeze; the worker is thawed again.</param>
    /// <returns>What the environment confirmed: whether those servers have read and handled every request the worker sent before it stopped.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot freeze workers (<see cref="EnvironmentCapabilities.FreezeWorker"/>).</exception>
    /// <remarks>A frozen worker sends no heartbeat; thaw it (<see cref="ThawWorkerAsync"/>) or kill it well within its session timeout.</remarks>
    Task<WorkerFreeze> FreezeWorkerAsync(string workerId, WorkerDrainScope drain, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.FreezeWorker);

    /// <summary>Thaws a frozen worker (SIGCONT, <c>docker unpause</c>); it carries on where it stopped.</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the worker runs again.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot freeze workers.</exception>
    Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.FreezeWorker);

    /// <summary>Starts a worker on standby: started and ready, but not yet a member of the Connect cluster.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The standby worker; <see cref="AdmitWorkerAsync"/> makes it join.</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot start standby workers (<see cref="EnvironmentCapabilities.StandbyWorker"/>).</exception>
    Task<WorkerInfo> AddStandbyWorkerAsync(CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.StandbyWorker);

    /// <summary>Lets a standby worker join the Connect cluster.</summary>
    /// <param name="workerId">The standby worker's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes as soon as the worker was told to join (the rebalance follows).</returns>
    /// <exception cref="MissingCapabilityException">The environment cannot start standby workers.</exception>
    Task AdmitWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.StandbyWorker);
}
