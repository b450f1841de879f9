using System.Globalization;
using Confluent.Kafka;
using SinkIdempotency.Embedded;

namespace SinkIdempotency.Environments;

/// <content>Freezing and thawing workers (SIGSTOP/SIGCONT), standby workers that join when admitted, and removing a worker that was added.</content>
public sealed partial class EmbeddedEnvironment
{
    // A frozen worker sends no heartbeat: stopping and draining together stay well inside a session of a few seconds.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(750);
    private static readonly TimeSpan SessionsGoneTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BrokerListTimeout = TimeSpan.FromSeconds(10);
    private FreezeGuard? _freezeGuard;
    private IReadOnlyList<int>? _brokerPorts;

    /// <inheritdoc/>
    /// <remarks>
    /// Sends SIGSTOP and waits until every thread has stopped; then, as <paramref name="drain"/> asks, until the broker and
    /// the targets (PostgreSQL, and MariaDB and the HTTP target server once started) have read every byte the worker sent
    /// them (the kernel's socket queues on both ends are empty) and no target has a write of the worker in progress
    /// (<see cref="Targets.ISinkTarget.CountWritesInFlightAsync"/>). A guard process continues the worker if the
    /// harness dies while it is frozen. On a cluster of the environment's own, the worker's connections to every broker the
    /// cluster's metadata names (and to the bootstrap servers) are waited for; the list is read before the first freeze.
    /// </remarks>
    public async Task<WorkerFreeze> FreezeWorkerAsync(string workerId, WorkerDrainScope drain, CancellationToken cancellationToken = default)
    {
        var worker = FindRunning(workerId);
        var brokerPorts = await BrokerPortsAsync(cancellationToken).ConfigureAwait(false);
        var started = _options.TimeProvider.GetTimestamp();
        FreezeGuard guard;
        lock (_gate)
        {
            guard = _freezeGuard ??= FreezeGuard.Start();
        }

        guard.Register(worker.ProcessId);
        await worker.FreezeAsync(StopTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var stopped = _options.TimeProvider.GetElapsedTime(started);
        try
        {
            var (drained, detail, ports) = await WorkerDrain.WaitAsync(
                worker.ProcessId, drain, brokerPorts, DrainTargets(), DrainTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            worker.PostgreSqlPorts = ports.TryGetValue(PostgreSql.Port, out var postgreSqlPorts) ? postgreSqlPorts : [];
            return new WorkerFreeze
            {
                WorkerId = workerId,
                Drained = drained,
                Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"every thread stopped (SIGSTOP) in {stopped.TotalMilliseconds:0} ms; {detail}"),
                Took = _options.TimeProvider.GetElapsedTime(started),
            };
        }
        catch
        {
            worker.Thaw();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        FindRunning(workerId).Thaw();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>The worker process starts, serves its REST URL and loads its plugins, then waits for admission before it joins the cluster.</remarks>
    public async Task<WorkerInfo> AddStandbyWorkerAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var worker = await StartWorkerAsync(restPort: 0, standby: true, cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(worker.WorkerId, worker.RestUrl, true, worker.ProcessId, [], []);
    }

    /// <inheritdoc/>
    public Task AdmitWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        FindRunning(workerId).Admit();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Closes the worker's standard input; it leaves the cluster and exits, and is killed if it is still running after the stop timeout.</remarks>
    public async Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var worker = FindRunning(workerId);
        await worker.StopAsync(_options.WorkerStopTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    // The local ports of a worker's PostgreSQL sessions: noted at the freeze, or read now.
    private IReadOnlyList<int> PostgreSqlPortsOf(WorkerProcess worker)
    {
        if (worker.IsFrozen)
        {
            return worker.PostgreSqlPorts;
        }

        var port = PostgreSql.Port;
        var owned = ProcTcp.SocketInodes(worker.ProcessId);
        List<TcpSocket> table;
        try
        {
            using var diag = SockDiag.Open();
            table = diag.All();
        }
        catch (IOException)
        {
            table = ProcTcp.ReadTable(worker.ProcessId);
        }

        return [.. ProcTcp.ClientConnections(table, owned)
            .Where(c => c.Client.Remote.Port == port)
            .Select(c => c.Client.Local.Port)];
    }

    // The ports the worker's Kafka connections go to: the in-process broker's, or those of every broker of the cluster of
    // the environment's own (a client talks to the bootstrap servers, then to the coordinator and the partition leaders).
    private async Task<IReadOnlyList<int>> BrokerPortsAsync(CancellationToken cancellationToken)
    {
        if (_options.BootstrapServers is null)
        {
            return [Broker.Port];
        }

        if (_brokerPorts is { } known)
        {
            return known;
        }

        var ports = Kafka.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(server => server.LastIndexOf(':') is var colon and > 0 && int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : -1)
            .Where(port => port > 0)
            .ToHashSet();
        Metadata metadata;
        try
        {
            metadata = await Task.Run(
                () =>
                {
                    using var admin = new AdminClientBuilder(Kafka.Configure(new AdminClientConfig(), "sinkidempotency-embedded-brokers")).Build();
                    return admin.GetMetadata(BrokerListTimeout);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw new InvalidOperationException($"Could not list the brokers of the Kafka at {_options.BootstrapServers} to wait for the worker's connections to them: {ex.Error.Reason}", ex);
        }

        ports.UnionWith(metadata.Brokers.Select(b => b.Port));
        IReadOnlyList<int> list = [.. ports.Order()];
        _brokerPorts = list;
        return list;
    }

    private void DisposeFreezeGuard()
    {
        FreezeGuard? guard;
        lock (_gate)
        {
            guard = _freezeGuard;
            _freezeGuard = null;
        }

        guard?.Dispose();
    }
}
