using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Worker.Hosting;
using SinkIdempotency.Worker.Plugins;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>
/// Runs this worker's share of the cluster (Connect's <c>DistributedHerder</c>): reads connector configs and target states from the
/// config topic, runs the tasks whose slots this worker owns, writes statuses, and serves REST requests for the whole cluster.
/// </summary>
/// <remarks>
/// Task (connector, i) runs in slot (hash(connector) + 1 + i) mod slots; the connector's own status is kept by the owner of slot
/// hash(connector) mod slots. Reconciliation runs on one thread; rebalance revocations stop tasks synchronously.
/// </remarks>
internal sealed partial class Herder : IAsyncDisposable
{
    private readonly WorkerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly PluginRegistry _plugins;
    private readonly ConnectorConfigValidator _validator;
    private readonly KafkaClusterLog _clusterLog;
    private readonly ClusterMembership _membership;
    private readonly TimeProvider _time;
    private readonly Lock _reconcileLock = new();
    private readonly Lock _slotLock = new();
    private readonly HashSet<int> _ownedSlots = [];
    private readonly Dictionary<ConnectorTaskId, TaskHandle> _tasks = [];
    private readonly ConcurrentQueue<RestartRequest> _restarts = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public Herder(WorkerOptions options, string workerId, PluginRegistry plugins, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        WorkerId = workerId;
        _plugins = plugins;
        _loggerFactory = loggerFactory;
        _time = time;
        _log = loggerFactory.CreateLogger<Herder>();
        _validator = new ConnectorConfigValidator(plugins);
        _clusterLog = new KafkaClusterLog(options, workerId, loggerFactory.CreateLogger<KafkaClusterLog>());
        _clusterLog.ConfigChanged += () => _wake.Set();
        _clusterLog.RestartRequested += r =>
        {
            _restarts.Enqueue(r);
            _wake.Set();
        };
        _membership = new ClusterMembership(options, workerId, loggerFactory.CreateLogger<ClusterMembership>(), OnSlotsAssigned, OnSlotsRevoked);
    }

    public string WorkerId { get; }

    public PluginRegistry Plugins => _plugins;

    public bool IsReady => _clusterLog.IsReady;

    public static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7fffffff);
    }

    public int ConnectorSlot(string connector) => StableHash(connector) % _options.ClusterSlots;

    public int TaskSlot(ConnectorTaskId id) => (StableHash(id.Connector) + 1 + id.Task) % _options.ClusterSlots;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        Join();
    }

    /// <summary>Reads the config and status topics to their end and keeps following them, without joining the cluster's group.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await _clusterLog.StartAsync(cancellationToken).ConfigureAwait(false);
        await _clusterLog.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        _membership.Prepare();
    }

    /// <summary>Joins the cluster's group and starts running the tasks of the slots it is given.</summary>
    public void Join()
    {
        _thread = new Thread(ReconcileLoop) { IsBackground = true, Name = "herder" };
        _thread.Start();
        _membership.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _log.LogInformation("Worker {WorkerId} stopping", WorkerId);
        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Set();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _membership.Dispose();
        lock (_reconcileLock)
        {
            StopTasks([.. _tasks.Keys]);
        }

        await _clusterLog.DisposeAsync().ConfigureAwait(false);
        _wake.Dispose();
        _stop.Dispose();
    }

    private void OnSlotsAssigned(IReadOnlyCollection<int> slots)
    {
        lock (_slotLock)
        {
            _ownedSlots.Clear();
            _ownedSlots.UnionWith(slots);
        }

        _wake.Set();
    }

    private void OnSlotsRevoked(IReadOnlyCollection<int> slots)
    {
        lock (_slotLock)
        {
            _ownedSlots.ExceptWith(slots);
        }

        // Eager protocol: tasks of revoked slots stop (and commit) before this worker rejoins, so no task runs twice.
        lock (_reconcileLock)
        {
            var revoked = _tasks.Keys.Where(id => slots.Contains(TaskSlot(id))).ToList();
            StopTasks(revoked);
        }
    }

    private void ReconcileLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            _wake.WaitOne(TimeSpan.FromSeconds(1));
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                Reconcile();
            }
            catch (Exception e)
            {
                _log.LogError(e, "Reconciling this worker's tasks failed; retrying");
            }
        }
    }

    private void Reconcile()
    {
        lock (_reconcileLock)
        {
            HashSet<int> owned;
            lock (_slotLock)
            {
                owned = [.. _ownedSlots];
            }

            var (connectors, states, connectorStatuses, taskStatuses) = _clusterLog.Read(s => (
                s.Connectors.Values.ToList(),
                s.Connectors.Keys.ToDictionary(k => k, s.TargetStateOf),
                new Dictionary<string, StatusRecord>(s.ConnectorStatuses),
                new Dictionary<ConnectorTaskId, StatusRecord>(s.TaskStatuses)));

            while (_restarts.TryDequeue(out var restart))
            {
                ApplyRestart(restart, owned, connectors, connectorStatuses, taskStatuses);
            }

            var desired = new Dictionary<ConnectorTaskId, (ConnectorDefinition Definition, TargetState State)>();
            foreach (var connector in connectors)
            {
                var state = states[connector.Name];
                if (state == TargetState.Stopped)
                {
                    continue;
                }

                for (var i = 0; i < connector.TaskConfigs.Count; i++)
                {
                    var id = new ConnectorTaskId(connector.Name, i);
                    if (owned.Contains(TaskSlot(id)))
                    {
                        desired[id] = (connector, state);
                    }
                }
            }

            var obsolete = _tasks.Where(t => !desired.TryGetValue(t.Key, out var d) || d.Definition.Generation != t.Value.Generation).Select(t => t.Key).ToList();
            StopTasks(obsolete);
            foreach (var (id, (definition, state)) in desired)
            {
                if (_tasks.TryGetValue(id, out var handle))
                {
                    handle.Task?.TransitionTo(state);
                }
                else
                {
                    StartTask(id, definition, state);
                }
            }

            foreach (var connector in connectors)
            {
                if (!owned.Contains(ConnectorSlot(connector.Name)))
                {
                    continue;
                }

                var expected = states[connector.Name] switch
                {
                    TargetState.Paused => "PAUSED",
                    TargetState.Stopped => "STOPPED",
                    _ => "RUNNING",
                };
                if (!connectorStatuses.TryGetValue(connector.Name, out var current) || current.State != expected || current.WorkerId != WorkerId)
                {
                    WriteConnectorStatus(connector.Name, expected);
                }
            }
        }
    }

    private void ApplyRestart(RestartRequest restart, HashSet<int> owned, List<ConnectorDefinition> connectors, Dictionary<string, StatusRecord> connectorStatuses, Dictionary<ConnectorTaskId, StatusRecord> taskStatuses)
    {
        var definition = connectors.Find(c => c.Name == restart.Connector);
        if (definition is null)
        {
            return;
        }

        if (restart.Task is null && owned.Contains(ConnectorSlot(restart.Connector)))
        {
            WriteConnectorStatus(restart.Connector, "RESTARTING");
            connectorStatuses.Remove(restart.Connector);
        }

        if (!restart.IncludeTasks)
        {
            return;
        }

        for (var i = 0; i < definition.TaskConfigs.Count; i++)
        {
            var id = new ConnectorTaskId(restart.Connector, i);
            if ((restart.Task is { } only && only != i) || !owned.Contains(TaskSlot(id)))
            {
                continue;
            }

            var failed = taskStatuses.TryGetValue(id, out var status) && status.State == "FAILED";
            if (restart.OnlyFailed && !failed)
            {
                continue;
            }

            _log.LogInformation("Restarting task {Task}", id);
            StopTasks([id]);
            WriteTaskStatus(id, new StatusRecord("RESTARTING", WorkerId, null));
        }
    }
}
