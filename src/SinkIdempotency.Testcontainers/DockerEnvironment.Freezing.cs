using SinkIdempotency.Environments;

namespace SinkIdempotency.Testcontainers;

/// <content>Freezing and thawing worker containers (<c>docker pause</c>/<c>unpause</c>), and removing a worker that was added.</content>
public sealed partial class DockerEnvironment
{
    /// <inheritdoc/>
    /// <remarks>
    /// Pauses the worker's container (the cgroup freezer stops every process of it). The host cannot see the container's
    /// sockets, so whatever <paramref name="drain"/> asks, what the worker sent just before the pause is not confirmed
    /// handled: <see cref="WorkerFreeze.Drained"/> is <see langword="null"/>, and a kill placed on the frozen worker relies
    /// on reads that agree twice.
    /// </remarks>
    public async Task<WorkerFreeze> FreezeWorkerAsync(string workerId, WorkerDrainScope drain, CancellationToken cancellationToken = default)
    {
        var worker = Running(workerId);
        var started = _options.TimeProvider.GetTimestamp();
        await _freezer.FreezeAsync(worker.Container.Id, cancellationToken).ConfigureAwait(false);
        return new WorkerFreeze
        {
            WorkerId = workerId,
            Drained = null,
            Detail = "docker pause (cgroup freezer): every process of the container stopped; requests already sent are not visible from the host",
            Took = _options.TimeProvider.GetElapsedTime(started),
        };
    }

    /// <inheritdoc/>
    public Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        _freezer.ThawAsync(Running(workerId).Container.Id, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Stops the container gracefully (SIGTERM: the worker leaves the cluster, its tasks commit) and keeps it until the environment is disposed.</remarks>
    public async Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var worker = Running(workerId);
        lock (_gate)
        {
            worker.IsRunning = false;
        }

        await _freezer.ThawAsync(worker.Container.Id, cancellationToken).ConfigureAwait(false);
        await worker.Container.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private ConnectWorker Running(string workerId)
    {
        EnsureStarted();
        lock (_gate)
        {
            return _workers.LastOrDefault(w => w.WorkerId == workerId && w.IsRunning)
                ?? throw new InvalidOperationException($"No running worker '{workerId}' in this environment; running workers: {string.Join(", ", _workers.Where(w => w.IsRunning).Select(w => w.WorkerId))}.");
        }
    }
}
