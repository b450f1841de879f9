using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Proxy;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios.Support;

/// <summary>
/// An in-memory stand-in for Kafka + Kafka Connect + a PostgreSQL table, following Connect's sink rules closely enough
/// to exercise the runner: tasks write batches, commit every flush interval (next offset to read), commit on graceful
/// revocation and stop, never commit when killed, skip or fail on poison records, and write dead letters.
/// </summary>
internal sealed partial class SimulatedEnvironment : IScenarioDriver, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SimRecord>[]> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<SourcePartition, long>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimRow>> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<SourcePartition, long> _logStarts = [];
    private readonly Dictionary<string, SimConnector> _connectors = new(StringComparer.Ordinal);
    private readonly List<SimWorker> _workers = [];
    private readonly List<string> _log = [];

    public SimulatedEnvironment(SimulatedOptions? options = null)
    {
        Options = options ?? new SimulatedOptions();
        for (var i = 0; i < Options.Workers; i++)
        {
            _workers.Add(new SimWorker($"w{i}", $"sim-{i}:8083"));
        }
    }

    public SimulatedOptions Options { get; }

    public string Name => "simulated";

    public ISinkEnvironment? Environment => Options.Environment;

    public EnvironmentCapabilities Capabilities => Options.Capabilities;

    public bool UsesScenarioTargetSettings => Options.UsesScenarioTargetSettings;

    public List<string> Created { get; } = [];

    /// <summary>Gets every record produced, as the ledger holds it (kept after the run's topic is deleted).</summary>
    public List<LedgerEntry> Produced { get; } = [];

    public List<string> Removed { get; } = [];

    public int Kills { get; private set; }

    public int Freezes { get; private set; }

    public IReadOnlyCollection<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return [.. _topics.Keys];
            }
        }
    }

    public IReadOnlyCollection<string> Connectors
    {
        get
        {
            lock (_gate)
            {
                return [.. _connectors.Keys];
            }
        }
    }

    public IReadOnlyCollection<string> Tables
    {
        get
        {
            lock (_gate)
            {
                return [.. _tables.Keys];
            }
        }
    }

    public Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _topics.Add(topic, [.. Enumerable.Range(0, partitions).Select(_ => new List<SimRecord>())]);
            Created.Add("topic:" + topic);
        }

        return Task.CompletedTask;
    }

    public Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_topics.Remove(topic))
            {
                Removed.Add("topic:" + topic);
            }
        }

        return Task.CompletedTask;
    }

    public async Task ProduceAsync(ProduceRequest request, Ledger ledger, CancellationToken cancellationToken = default)
    {
        var poison = request.Poison.ToDictionary(p => p.Index);
        var workload = request.Workload;
        for (var i = 0; i < workload.Records; i++)
        {
            var key = workload.Keys == 0 ? null : $"k{i % workload.Keys}";
            long? version = workload.Keys == 0 ? null : (i / workload.Keys) + 1;
            var eventId = $"{request.Topic}-{i}";
            var hash = ValueHash.Compute("payload:" + eventId);
            if (request.Hold is { } hold && request.HoldBefore?.Invoke(i) == true)
            {
                await hold(i, cancellationToken);
            }

            var isPoison = poison.TryGetValue(i, out var bad);
            if (isPoison && request.BeforePoison is { } beforePoison)
            {
                await beforePoison(bad!, cancellationToken);
            }

            lock (_gate)
            {
                var partitions = _topics[request.Topic];
                var partition = key is null ? i % partitions.Length : Math.Abs(key.GetHashCode(StringComparison.Ordinal) % partitions.Length);
                var list = partitions[partition];
                var offset = list.Count;
                list.Add(new SimRecord(eventId, key, version, hash, isPoison));
                var entry = new LedgerEntry(eventId, request.Topic, partition, offset, key, version, hash, DateTimeOffset.UtcNow) { Poison = isPoison };
                ledger.Append(entry);
                Produced.Add(entry);
            }

            if (i % 50 == 49)
            {
                await Task.Delay(Options.ProduceDelay, cancellationToken);
            }
        }
    }

    public Task<IReadOnlyDictionary<SourcePartition, long>> GetEndOffsetsAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<SourcePartition, long> result = _topics[topic]
                .Select((list, p) => (p, (long)list.Count))
                .ToDictionary(x => new SourcePartition(topic, x.p), x => x.Item2);
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyDictionary<SourcePartition, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<SourcePartition, long> result = _groups.TryGetValue(groupId, out var group)
                ? group.Where(g => g.Key.Topic == topic).ToDictionary(g => g.Key, g => g.Value)
                : new Dictionary<SourcePartition, long>();
            return Task.FromResult(result);
        }
    }

    public Task ResetConsumerGroupAsync(string groupId, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var connector = _connectors.Values.FirstOrDefault(c => c.GroupId == groupId);
            if (connector is not null && connector.Tasks.Any(t => t.Loop is not null))
            {
                throw new InvalidOperationException("The group is not empty.");
            }

            SetOffsets(groupId, offsets);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<SourcePartition, long>> DeleteRecordsBeforeAsync(string topic, IReadOnlyDictionary<SourcePartition, long> offsets, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var result = new Dictionary<SourcePartition, long>();
            foreach (var (partition, offset) in offsets)
            {
                var start = Math.Max(LogStart(partition), Math.Min(offset, _topics[topic][partition.Partition].Count));
                _logStarts[partition] = start;
                result[partition] = start;
            }

            return Task.FromResult<IReadOnlyDictionary<SourcePartition, long>>(result);
        }
    }

    public Task<SinkIdempotency.Assessment.TopicRetention?> GetTopicRetentionAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<SinkIdempotency.Assessment.TopicRetention?>(new(topic, _topics[topic].Length, 604_800_000, -1));
        }
    }

    // The first offset a consumer can read; a position before it starts at it (auto.offset.reset=earliest).
    private long LogStart(SourcePartition partition) => _logStarts.TryGetValue(partition, out var start) ? start : 0;

    public Task<IReadOnlyList<DeadLetterRecord>> ReadDeadLettersAsync(string topic, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadLetterRecord> result = _topics.TryGetValue(topic, out var partitions)
                ? [.. partitions.SelectMany(p => p).Select(r => r.DeadLetterOf!.Value).Select(p => new DeadLetterRecord(p, "org.apache.kafka.connect.errors.DataException", "poison"))]
                : [];
            return Task.FromResult(result);
        }
    }

    public IReadOnlyDictionary<string, string> GetTargetConnectorSettings(bool throughProxy) =>
        new Dictionary<string, string>
        {
            ["connection.url"] = "jdbc:postgresql://127.0.0.1:5432/sim",
            ["connection.user"] = "sim",
            ["connection.password"] = "hunter2",
        };

    public ITargetReader OpenTargetReader(PostgreSqlTableMapping mapping) => new SimTargetReader(this, mapping.Table);

    public Task<ISinkTarget> GetTargetAsync(string kind, CancellationToken cancellationToken = default) =>
        kind == ScenarioTarget.PostgreSqlKind
            ? Task.FromResult<ISinkTarget>(new SimTarget(this))
            : Task.FromException<ISinkTarget>(new NotSupportedException($"The simulated environment serves only the {ScenarioTarget.PostgreSqlKind} target."));

    public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        if (Options.DropTableFailure is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        lock (_gate)
        {
            if (_tables.Remove(table))
            {
                Removed.Add("table:" + table);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<WorkerInfo> result = [.. _workers.Select(w => w.Info())];
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = _workers.FirstOrDefault(w => w.Is(workerId))?.Id ?? workerId;
            IReadOnlyList<string> result = [.. _log.Where(l => l.StartsWith(id + " ", StringComparison.Ordinal)).TakeLast(maxLines)];
            return Task.FromResult(result);
        }
    }

    public List<TargetRow> Rows(string table)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            return _tables.TryGetValue(table, out var rows) ? [.. rows.Where(r => r.VisibleAt <= now).Select(r => r.Row)] : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> loops;
        lock (_gate)
        {
            loops = [.. _connectors.Values.SelectMany(c => c.Tasks).Select(t => StopLoop(t, commit: false)).OfType<Task>()];
        }

        await Task.WhenAll(loops);
    }

    private void Log(string workerId, string message) => _log.Add($"{workerId} {message}");

    private void SetOffsets(string groupId, IReadOnlyDictionary<SourcePartition, long>? offsets)
    {
        if (offsets is null)
        {
            _groups.Remove(groupId);
        }
        else
        {
            _groups[groupId] = new Dictionary<SourcePartition, long>(offsets);
        }
    }

    private sealed record SimRecord(string EventId, string? Key, long? Version, ulong Hash, bool Poison, SourcePosition? DeadLetterOf = null);

    private sealed record SimRow(TargetRow Row, DateTimeOffset VisibleAt);

    private sealed class SimWorker(string id, string connectId)
    {
        public string Id { get; } = id;

        public string ConnectId { get; } = connectId;

        public bool Alive { get; set; } = true;

        public bool Frozen { get; set; }

        // The runner names a worker by its Connect id; the simulation's own handle still works.
        public bool Is(string workerId) => Id == workerId || ConnectId == workerId;

        public WorkerInfo Info() => new(ConnectId, new Uri("http://" + ConnectId), Alive, null, [], []);
    }

    private sealed class SimTarget(SimulatedEnvironment environment) : ISinkTarget
    {
        public string Kind => ScenarioTarget.PostgreSqlKind;

        public string Schema => "public";

        public TargetFaultProxy? Proxy => null;

        public bool UsesScenarioTargetSettings => environment.UsesScenarioTargetSettings;

        public string? ExplainUnsupported(Scenario scenario) => null;

        public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) => environment.GetTargetConnectorSettings(throughProxy);

        public ITargetReader OpenReader(PostgreSqlTableMapping mapping) => environment.OpenTargetReader(mapping);

        public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default) => environment.DropTableAsync(schema, table, cancellationToken);

        public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
            Task.FromException<string>(new NotSupportedException("The simulated environment cannot change the target's tables."));

        public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) => Task.FromResult(0);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class SimTargetReader(SimulatedEnvironment environment, string table) : ITargetReader
    {
        public string Description => $"simulated table {table}";

        public async IAsyncEnumerable<TargetRow> ReadRowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var row in environment.Rows(table))
            {
                yield return row;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
