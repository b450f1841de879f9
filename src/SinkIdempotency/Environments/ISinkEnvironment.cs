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
}
