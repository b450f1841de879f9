using SinkIdempotency.Connect;

namespace SinkIdempotency.Environments;

/// <summary>Places connectors and tasks on workers from Connect's status API, for any environment that knows its workers' REST URLs.</summary>
public static class WorkerTaskMap
{
    /// <summary>Places connectors and tasks on the known workers through the first running one; without a running worker, lists them with no tasks.</summary>
    /// <param name="workers">The known workers: id, REST URL, whether running, process id.</param>
    /// <param name="timeProvider">The clock of the REST client.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per known worker, running ones first, with its connectors and tasks.</returns>
    public static async Task<IReadOnlyList<WorkerInfo>> ListAsync(
        IReadOnlyList<(string WorkerId, Uri RestUrl, bool IsRunning, int? ProcessId)> workers,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var running = workers.Where(w => w.IsRunning).Select(w => w.RestUrl).FirstOrDefault();
        if (running is null)
        {
            return [.. workers.Select(w => new WorkerInfo(w.WorkerId, w.RestUrl, w.IsRunning, w.ProcessId, [], []))];
        }

        using var client = new ConnectRestClient(running, new ConnectRestClientOptions { TimeProvider = timeProvider });
        return await BuildAsync(client, workers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every connector's status through <paramref name="client"/> and assigns each connector and task to the worker whose id matches.</summary>
    /// <param name="client">A client for any running worker.</param>
    /// <param name="workers">The known workers: id, REST URL, whether running, process id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One entry per known worker, running ones first, with its connectors and tasks.</returns>
    /// <remarks>A worker id in a status that matches no known worker is added as an unknown, not-running worker so no task goes unaccounted.</remarks>
    public static async Task<IReadOnlyList<WorkerInfo>> BuildAsync(
        ConnectRestClient client,
        IReadOnlyList<(string WorkerId, Uri RestUrl, bool IsRunning, int? ProcessId)> workers,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workers);
        var expanded = await client.ListConnectorsExpandedAsync(status: true, info: false, cancellationToken).ConfigureAwait(false);
        var tasks = new Dictionary<string, List<ConnectorTaskId>>(StringComparer.Ordinal);
        var connectors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, expansion) in expanded.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (expansion.Status is not { } status)
            {
                continue;
            }

            if (status.Connector.WorkerId is { } connectorWorker)
            {
                Add(connectors, connectorWorker, name);
            }

            foreach (var task in status.Tasks.OrderBy(t => t.Id))
            {
                if (task.WorkerId is { } taskWorker)
                {
                    Add(tasks, taskWorker, new ConnectorTaskId(name, task.Id));
                }
            }
        }

        var result = workers
            .Select(w => new WorkerInfo(w.WorkerId, w.RestUrl, w.IsRunning, w.ProcessId, Take(tasks, w.WorkerId), Take(connectors, w.WorkerId)))
            .ToList();
        foreach (var unknown in tasks.Keys.Concat(connectors.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList())
        {
            result.Add(new WorkerInfo(unknown, new Uri($"http://{unknown}/"), false, null, Take(tasks, unknown), Take(connectors, unknown)));
        }

        return [.. result.OrderByDescending(w => w.IsRunning)];
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }

    private static List<T> Take<T>(Dictionary<string, List<T>> map, string key) =>
        map.Remove(key, out var list) ? list : [];
}
