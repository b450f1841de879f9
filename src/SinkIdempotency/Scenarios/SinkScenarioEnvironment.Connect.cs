using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Connect REST operations and worker control.</content>
public sealed partial class SinkScenarioEnvironment
{
    /// <inheritdoc />
    public Task CreateConnectorAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default) =>
        Client().CreateConnectorAsync(name, config, cancellationToken: cancellationToken);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The connector is not in a run namespace; the harness deletes only what a run created.</exception>
    public async Task DeleteConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        EnsureRunScoped("connector", name);
        await Client().DeleteConnectorIfExistsAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ConnectorSnapshot> GetConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await Client().GetConnectorStatusAsync(name, cancellationToken).ConfigureAwait(false);
            return new ConnectorSnapshot(
                status.Name,
                status.Connector.State,
                status.Connector.WorkerId,
                [.. status.Tasks.OrderBy(t => t.Id).Select(t => new TaskSnapshot(t.Id, t.State, t.WorkerId, t.Trace))]);
        }
        catch (ConnectRestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new ConnectorSnapshot(name, ConnectorSnapshot.Missing, null, []);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> GetConnectorConfigAsync(string name, CancellationToken cancellationToken = default) =>
        await Client().GetConnectorConfigAsync(name, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task StopConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        Client().StopConnectorAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task ResumeConnectorAsync(string name, CancellationToken cancellationToken = default) =>
        Client().ResumeConnectorAsync(name, cancellationToken);

    /// <inheritdoc />
    public async Task AlterConnectorOffsetsAsync(string name, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default)
    {
        if (offsets is null)
        {
            await Client().ResetConnectorOffsetsAsync(name, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Client().AlterConnectorOffsetsAsync(
            name,
            ConnectorOffsets.ForSink(offsets.Select(p => new SinkPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        var workers = await _environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false);
        return [.. workers.Select(w => new WorkerInfo(w.WorkerId, w.WorkerId, w.IsRunning))];
    }

    /// <inheritdoc />
    public Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        _environment.KillWorkerAsync(workerId, cancellationToken);

    /// <inheritdoc />
    public async Task RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        await _environment.RestartWorkerAsync(workerId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default)
    {
        var worker = await _environment.AddWorkerAsync(cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(worker.WorkerId, worker.WorkerId, worker.IsRunning);
    }

    /// <inheritdoc />
    public Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        _environment.RemoveWorkerAsync(workerId, cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFreeze> FreezeWorkerAsync(string workerId, WorkerDrainScope drain, CancellationToken cancellationToken = default) =>
        _environment.FreezeWorkerAsync(workerId, drain, cancellationToken);

    /// <inheritdoc />
    public Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        _environment.ThawWorkerAsync(workerId, cancellationToken);

    /// <inheritdoc />
    public async Task<WorkerInfo> AddStandbyWorkerAsync(CancellationToken cancellationToken = default)
    {
        var worker = await _environment.AddStandbyWorkerAsync(cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(worker.WorkerId, worker.WorkerId, worker.IsRunning);
    }

    /// <inheritdoc />
    public Task AdmitWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        _environment.AdmitWorkerAsync(workerId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default)
    {
        if (_environment is IWorkerLogReader reader)
        {
            return reader.ReadWorkerLogAsync(workerId, maxLines, cancellationToken);
        }

        IReadOnlyList<string> lines = _environment is EmbeddedEnvironment embedded
            ? [.. embedded.GetWorkerLog(workerId).Split('\n').TakeLast(maxLines)]
            : [];
        return Task.FromResult(lines);
    }

    // The first running worker answers; a killed worker's client is never reused because its URL leaves ConnectUrls.
    private ConnectRestClient Client()
    {
        var url = _environment.ConnectUrls.FirstOrDefault()
            ?? throw new InvalidOperationException($"The {_environment.Name} environment has no running Connect worker.");
        lock (_gate)
        {
            if (!_clients.TryGetValue(url, out var client))
            {
                client = new ConnectRestClient(url, _environment.CreateConnectClientOptions());
                _clients.Add(url, client);
            }

            return client;
        }
    }
}
