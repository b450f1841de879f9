namespace SinkIdempotency.Environments;

/// <summary>Reads a Connect worker's log for evidence; implemented by environments that can reach their workers' logs (e.g. Docker containers).</summary>
public interface IWorkerLogReader
{
    /// <summary>Reads the last lines a worker has logged, with secrets hidden.</summary>
    /// <param name="workerId">The worker id as in <see cref="WorkerInfo.WorkerId"/>.</param>
    /// <param name="maxLines">The most lines to return, newest last.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The log lines.</returns>
    Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default);
}
