using System.Globalization;
using SinkIdempotency.Broker;
using SinkIdempotency.Connect;
using SinkIdempotency.Embedded;
using SinkIdempotency.Kafka;
using SinkIdempotency.Lifecycle;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Environments;

/// <summary>Runs everything on this machine: the broker in-process, Connect workers as child processes, a local PostgreSQL and the fault proxy in front of it.</summary>
/// <remarks>
/// Nothing outlives the harness: workers stop when their standard input (a pipe from this process) closes, the
/// PostgreSQL server has its own watchdog, and the broker and proxy live in this process. Given a Kafka-compatible
/// cluster of its own (<see cref="EmbeddedEnvironmentBuilder.WithBootstrapServers"/>) it runs the same workers, target
/// and proxy against that cluster instead of the in-process broker (see <see cref="EmbeddedEnvironmentOptions.BootstrapServers"/>).
/// </remarks>
public sealed partial class EmbeddedEnvironment : IStartableSinkEnvironment, IWorkerLogReader, IKafkaClusterInfo, IBrokerFaultHost
{
    private readonly EmbeddedEnvironmentOptions _options;
    private readonly Lock _gate = new();
    private readonly List<WorkerProcess> _workers = [];
    private readonly Dictionary<string, TimeSpan> _startDurations = new(StringComparer.Ordinal);
    private readonly LifecycleGate _lifecycle = new("The embedded environment is already started; build a new one to run another.");
    private readonly string _clusterId = "sinkidempotency-" + Guid.NewGuid().ToString("N")[..12];
    private KafkaBroker? _broker;
    private LocalPostgreSql? _postgreSql;
    private TargetFaultProxy? _proxy;
    private string? _workerPath;
    private string? _dotnet;
    private int _workerSequence;
    private bool _kafkaReady;

    internal EmbeddedEnvironment(EmbeddedEnvironmentOptions options) => _options = options;

    /// <inheritdoc/>
    /// <value><c>embedded</c> on the in-process broker; <c>embedded@</c> and the Kafka label or bootstrap servers on a cluster of its own.</value>
    public string Name => _options.BootstrapServers is null ? "embedded" : "embedded@" + (_options.KafkaLabel ?? _options.BootstrapServers);

    /// <inheritdoc/>
    /// <remarks>Broker-side faults only on the in-process broker: a cluster of its own is not the harness's to intercept.</remarks>
    public EnvironmentCapabilities Capabilities =>
        EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker | EnvironmentCapabilities.RestartWorker
        | EnvironmentCapabilities.FreezeWorker | EnvironmentCapabilities.StandbyWorker
        | (_options.BootstrapServers is null ? EnvironmentCapabilities.BrokerFaults : EnvironmentCapabilities.None)
        | (_options.TargetProxy ? EnvironmentCapabilities.TargetFaultProxy : EnvironmentCapabilities.None);

    /// <summary>Gets the options the environment was built with.</summary>
    public EmbeddedEnvironmentOptions Options => _options;

    /// <summary>Gets the Connect cluster id (the workers' <c>group.id</c>); unique per environment.</summary>
    public string ClusterId => _clusterId;

    /// <summary>Gets the in-process broker, for broker-side faults.</summary>
    /// <exception cref="InvalidOperationException">The environment is not started, or runs on a cluster of its own (<see cref="EmbeddedEnvironmentOptions.BootstrapServers"/>).</exception>
    public KafkaBroker Broker => _broker ?? throw (_options.BootstrapServers is null
        ? NotStarted()
        : new InvalidOperationException($"The {Name} environment runs on the Kafka at {_options.BootstrapServers}, not on an in-process broker, so it has no broker to intercept."));

    /// <summary>Gets the local PostgreSQL target.</summary>
    /// <exception cref="InvalidOperationException">The environment is not started.</exception>
    public LocalPostgreSql PostgreSql => _postgreSql ?? throw NotStarted();

    /// <summary>Gets how long each part took to become ready (broker, PostgreSQL, each worker until it serves the connectors API), for evidence and benchmarks.</summary>
    public IReadOnlyDictionary<string, TimeSpan> StartDurations
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, TimeSpan>(_startDurations, StringComparer.Ordinal);
            }
        }
    }

    /// <inheritdoc/>
    public KafkaEndpoint Kafka => _options.BootstrapServers is { } servers
        ? new(servers, new Dictionary<string, string>(_options.KafkaSettings, StringComparer.Ordinal))
        : new(Broker.BootstrapServers);

    /// <inheritdoc/>
    /// <value><see langword="null"/> on the in-process broker (it serves every API the harness uses) and before start.</value>
    public KafkaApiSupport? KafkaApis { get; private set; }

    /// <inheritdoc/>
    public IKafkaTopicAdmin? TopicAdmin => _options.TopicAdmin;

    /// <inheritdoc/>
    public IReadOnlyList<Uri> ConnectUrls
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Where(w => w.IsRunning && !w.IsStandby).Select(w => w.RestUrl)];
            }
        }
    }

    /// <inheritdoc/>
    public TargetEndpoint Target => new(PostgreSql.ConnectionString, "127.0.0.1", _proxy?.Port ?? PostgreSql.Port);

    /// <inheritdoc/>
    public TargetFaultProxy? TargetProxy => _proxy;

    /// <summary>Starts the broker, PostgreSQL, the proxy and the workers; on failure stops what started and names the part that failed.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when every part is ready.</returns>
    /// <exception cref="EnvironmentStartException">A part failed to start.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.StartAsync(this, token => EnvironmentStartException.StartOrStopAllAsync(Name, StartPartsAsync, StopPartsAsync, token), rollback: null, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        List<(string, Uri, bool, int?)> known;
        lock (_gate)
        {
            // Standby workers last: the first running worker answers the status call, and a standby one has no herder yet.
            known = [.. _workers.OrderBy(w => w.IsStandby).Select(w => (w.WorkerId, w.RestUrl, w.IsRunning, (int?)w.ProcessId))];
        }

        return await WorkerTaskMap.ListAsync(known, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var worker = await StartWorkerAsync(restPort: 0, standby: false, cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(worker.WorkerId, worker.RestUrl, true, worker.ProcessId, [], []);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Sends SIGKILL (a frozen worker dies without running again), waits for the process to be gone, then until
    /// PostgreSQL has ended the worker's sessions: each rolls back its open transaction as it ends, so a read of the
    /// target after this returns shows exactly what the worker had committed.
    /// </remarks>
    public async Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        var worker = FindRunning(workerId);
        var ports = PostgreSqlPortsOf(worker);
        await worker.KillAsync(cancellationToken).ConfigureAwait(false);
        await WorkerDrain.WaitForSessionsGoneAsync(PostgreSql.DataSource, ports, SessionsGoneTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        WorkerProcess worker;
        lock (_gate)
        {
            worker = _workers.LastOrDefault(w => w.WorkerId == workerId)
                ?? throw new InvalidOperationException($"No worker '{workerId}' in this environment; known workers: {string.Join(", ", _workers.Select(w => w.WorkerId))}.");
        }

        await worker.StopAsync(_options.WorkerStopTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);

        // The same REST port keeps the worker id, as a restarted Connect worker keeps its advertised address.
        var restarted = await StartWorkerAsync(worker.RestUrl.Port, standby: false, cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(restarted.WorkerId, restarted.RestUrl, true, restarted.ProcessId, [], []);
    }

    /// <summary>Reads what a worker has logged (its standard error), newest last, for evidence.</summary>
    /// <param name="workerId">The worker id.</param>
    /// <returns>The log lines kept in memory (the last 5,000), across restarts of that worker id.</returns>
    public string GetWorkerLog(string workerId)
    {
        lock (_gate)
        {
            return string.Join('\n', _workers.Where(w => w.WorkerId == workerId).Select(w => w.Log));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> lines = [.. GetWorkerLog(workerId).Split('\n').TakeLast(maxLines)];
        return Task.FromResult(lines);
    }

    /// <summary>Stops the workers, the proxy, PostgreSQL and the broker, and deletes what they created.</summary>
    /// <returns>A task that completes when nothing of the environment runs any more.</returns>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync(async () =>
    {
        try
        {
            await StopPartsAsync().ConfigureAwait(false);
        }
        finally
        {
            DisposeFreezeGuard();
        }
    });

    private static InvalidOperationException NotStarted() =>
        new("The embedded environment is not started; call StartAsync (or EmbeddedEnvironmentBuilder.StartAsync) first.");

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_lifecycle.IsDisposed, this);
        if (!_kafkaReady)
        {
            throw NotStarted();
        }
    }

    private WorkerProcess FindRunning(string workerId)
    {
        lock (_gate)
        {
            return _workers.LastOrDefault(w => w.WorkerId == workerId && w.IsRunning)
                ?? throw new InvalidOperationException($"No running worker '{workerId}' in this environment; running workers: {string.Join(", ", _workers.Where(w => w.IsRunning).Select(w => w.WorkerId))}.");
        }
    }

    private static string Format(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
