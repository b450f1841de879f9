using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Timing;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Gives a fault the run's environment, names, ledger and timeline, and the observations every fault needs.</summary>
/// <remarks>
/// A custom fault (a class deriving from <see cref="Fault"/>) gets one in <see cref="Fault.InjectAsync"/>: it waits for its
/// trigger with <see cref="WaitUntilAsync"/>, acts through <see cref="Environment"/>, and records each action with
/// <see cref="Record"/> so the evidence timeline shows what was done and when.
/// </remarks>
public sealed class FaultContext
{
    private readonly Lock _indexGate = new();
    private readonly Dictionary<string, LedgerEntry> _byEventId = new(StringComparer.Ordinal);
    private readonly Dictionary<SourcePosition, LedgerEntry> _byPosition = [];
    private readonly List<LedgerEntry> _entries = [];
    private readonly Lock _holdGate = new();
    private readonly SortedSet<long> _holds = [];
    private readonly Dictionary<long, TaskCompletionSource> _holdReleases = [];
    private long? _heldAt;
    private DateTimeOffset _heldSince;
    private bool _streamReleased;
    private int _indexed;

    internal FaultContext(
        IScenarioDriver environment,
        ISinkTarget sinkTarget,
        RunNamespace names,
        Scenario scenario,
        Ledger ledger,
        ITargetReader target,
        EvidenceTimeline timeline,
        TimeProvider timeProvider,
        TimeSpan pollInterval,
        string faultName)
    {
        Environment = environment;
        SinkTarget = sinkTarget;
        Names = names;
        Scenario = scenario;
        Ledger = ledger;
        Target = target;
        Timeline = timeline;
        TimeProvider = timeProvider;
        PollInterval = pollInterval;
        FaultName = faultName;
    }

    /// <summary>Gets the environment the scenario runs on: Kafka, Connect, the target and the worker controls.</summary>
    /// <value>The runner's environment.</value>
    public IScenarioDriver Environment { get; }

    /// <summary>Gets the run's target store: its kind, its fault proxy and its connector settings.</summary>
    /// <value>The target the scenario names (<see cref="ScenarioTarget.Kind"/>).</value>
    public ISinkTarget SinkTarget { get; }

    /// <summary>Gets the run's names: topic, connector, consumer group and table, all carrying the run id.</summary>
    /// <value>The run namespace.</value>
    public RunNamespace Names { get; }

    /// <summary>Gets the scenario being run.</summary>
    /// <value>The scenario.</value>
    public Scenario Scenario { get; }

    /// <summary>Gets the ledger of what has been produced so far.</summary>
    /// <value>The run's ledger; it grows while the stream runs.</value>
    public Ledger Ledger { get; }

    /// <summary>Gets the reader of the run's target (read directly, never through the fault proxy).</summary>
    /// <value>The target reader.</value>
    public ITargetReader Target { get; }

    /// <summary>Gets the evidence timeline, for evidence beyond fault actions (offsets, assignments, counters).</summary>
    /// <value>The run's timeline.</value>
    public EvidenceTimeline Timeline { get; }

    /// <summary>Gets the clock every wait uses.</summary>
    /// <value>The runner's time provider.</value>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets how often <see cref="WaitUntilAsync"/> checks its condition.</summary>
    /// <value>The runner's poll interval.</value>
    public TimeSpan PollInterval { get; }

    /// <summary>Gets the fault's report name, written into every action it records.</summary>
    /// <value>The fault's <see cref="Fault.Name"/>.</value>
    public string FaultName { get; }

    /// <summary>Gets or sets the step name written into recorded evidence.</summary>
    /// <value><c>fault</c> unless the runner or the fault changes it.</value>
    public string Step { get; set; } = "fault";

    /// <summary>Gets or sets a worker a fault started on standby in its preparation, to admit when it acts.</summary>
    internal WorkerInfo? StandbyWorker { get; set; }

    /// <summary>Gets the workers the fault added to the cluster, which its cleanup removes.</summary>
    internal List<WorkerInfo> AddedWorkers { get; } = [];

    /// <summary>Asks the producer to stop before the record at <paramref name="index"/> until <see cref="ReleaseHold"/> or <see cref="ReleaseStream"/> (or the end of the fault).</summary>
    /// <remarks>
    /// A fault that must act while records still flow (a worker killed inside a crash window) cannot count on the pace
    /// alone: where the sink's consumers take seconds to start (a group that rebalances slowly), or a starved worker takes
    /// hundreds of records in one poll, most of the stream can go by in one or two polls. Held, the stream waits for the
    /// sink and the fault. A hold may be added while the stream runs; one the stream has already passed never holds.
    /// </remarks>
    internal void HoldStreamBefore(long index)
    {
        lock (_holdGate)
        {
            if (!_streamReleased && index > 0 && index < Scenario.Workload.Records)
            {
                _holds.Add(index);
            }
        }
    }

    /// <summary>Tells whether the producer stops before the record at <paramref name="index"/>.</summary>
    internal bool HoldsBefore(long index)
    {
        lock (_holdGate)
        {
            return !_streamReleased && _holds.Contains(index);
        }
    }

    /// <summary>Gets the index of the record before which the producer waits now, and since when; <see langword="null"/> when it does not wait.</summary>
    internal (long Index, DateTimeOffset Since)? StreamHeld
    {
        get
        {
            lock (_holdGate)
            {
                return _heldAt is { } at ? (at, _heldSince) : null;
            }
        }
    }

    /// <summary>Gets how many holds are still ahead of the stream or waited at.</summary>
    internal int HoldsLeft
    {
        get
        {
            lock (_holdGate)
            {
                return _streamReleased ? 0 : _holds.Count;
            }
        }
    }

    /// <summary>Lets the stream go on past one hold; the others stay.</summary>
    internal void ReleaseHold(long index)
    {
        lock (_holdGate)
        {
            _holds.Remove(index);
            if (_holdReleases.Remove(index, out var release))
            {
                release.TrySetResult();
            }
        }
    }

    /// <summary>Lets the stream go on past every hold, present and to come; does nothing when it is not held.</summary>
    internal void ReleaseStream()
    {
        lock (_holdGate)
        {
            _streamReleased = true;
            _holds.Clear();
            foreach (var release in _holdReleases.Values)
            {
                release.TrySetResult();
            }

            _holdReleases.Clear();
        }
    }

    /// <summary>Waits at the hold before the record at <paramref name="index"/> until the fault releases it or ends (however it ends), so a fault that fails never leaves the stream held.</summary>
    internal async Task WaitAtHoldAsync(long index, Task fault, CancellationToken cancellationToken)
    {
        TaskCompletionSource release;
        lock (_holdGate)
        {
            if (_streamReleased || !_holds.Contains(index))
            {
                return;
            }

            if (!_holdReleases.TryGetValue(index, out var existing))
            {
                existing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _holdReleases.Add(index, existing);
            }

            release = existing;
            _heldAt = index;
            _heldSince = Now;
        }

        try
        {
            await Task.WhenAny(release.Task, fault).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_holdGate)
            {
                _heldAt = null;
            }
        }
    }

    /// <summary>Gets the current time of <see cref="TimeProvider"/>.</summary>
    /// <value>The time now.</value>
    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>Records a fault action in the timeline.</summary>
    /// <param name="action">A short kebab-case name of the action, e.g. <c>kill-worker</c>.</param>
    /// <param name="detail">A sentence saying what was done.</param>
    /// <param name="window">The crash window at the moment of the action, for kills.</param>
    public void Record(string action, string detail, CrashWindow? window = null) =>
        Timeline.Add(new FaultActionEvidence { At = Now, Step = Step, Fault = FaultName, Action = action, Detail = detail, Window = window });

    /// <summary>Polls a condition until it holds or the timeout passes.</summary>
    /// <param name="condition">The condition, checked every <see cref="PollInterval"/>.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when the condition held; <see langword="false"/> when the timeout passed first.</returns>
    public Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilAsync(TimeProvider, condition, timeout, PollInterval, cancellationToken);

    /// <summary>Reads the target and locates each row's source position (its own Kafka coordinates, or the ledger entry of its event id).</summary>
    internal async Task<TargetProgress> ReadTargetProgressAsync(CancellationToken cancellationToken)
    {
        RefreshIndex();
        var offsets = new Dictionary<SourcePartition, List<long>>();
        var newestByKey = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        long rows = 0;
        long located = 0;
        await foreach (var row in Target.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            LedgerEntry? entry = null;
            lock (_indexGate)
            {
                if (row.Source is { } source)
                {
                    _byPosition.TryGetValue(source, out entry);
                }
                else if (row.EventId is not null)
                {
                    _byEventId.TryGetValue(row.EventId, out entry);
                }
            }

            if ((row.Source ?? entry?.Position) is not { } p)
            {
                continue;
            }

            located++;
            if (!offsets.TryGetValue(p.SourcePartition, out var list))
            {
                list = [];
                offsets.Add(p.SourcePartition, list);
            }

            list.Add(p.Offset);
            if (entry?.Key is { } key && (!newestByKey.TryGetValue(key, out var newest) || TargetProgress.IsNewer(entry, newest)))
            {
                newestByKey[key] = entry;
            }
        }

        return new TargetProgress(rows, located, offsets, newestByKey);
    }

    /// <summary>Observes the crash windows on the partitions <paramref name="keep"/> accepts.</summary>
    /// <remarks>
    /// The read order makes a moving pipeline err towards a closed window: for the duplicate window the target is read
    /// first (a row counted ahead was written before the offsets were read), for the loss window the offsets first (a
    /// record counted behind was committed before the target was read).
    /// </remarks>
    internal async Task<WindowObservation> ObserveWindowAsync(CrashWindowKind kind, Func<SourcePartition, bool> keep, CancellationToken cancellationToken)
    {
        TargetProgress progress;
        IReadOnlyDictionary<SourcePartition, long> all;
        if (kind == CrashWindowKind.CommitAheadOfTarget)
        {
            all = await ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
            progress = (await ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false)).Only(keep);
        }
        else
        {
            progress = (await ReadTargetProgressAsync(cancellationToken).ConfigureAwait(false)).Only(keep);
            all = await ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        }

        var committed = all.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        List<LedgerEntry> entries;
        lock (_indexGate)
        {
            entries = [.. _entries];
        }

        var kept = entries.Where(e => keep(e.SourcePartition)).ToList();
        var behind = progress.RecordsBehind(committed, kept, Scenario.Semantics == Reconciliation.DeclaredSemantics.UpsertByKey);
        var producedEnd = kept.GroupBy(e => e.SourcePartition).ToDictionary(g => g.Key, g => g.Max(e => e.Offset) + 1);
        return new WindowObservation(progress, committed, behind) { ProducedEnd = producedEnd };
    }

    /// <summary>Measures the window opposite to <paramref name="kind"/> between two observations of <paramref name="kind"/>, in the read order that errs towards a shut window for it too.</summary>
    /// <remarks>
    /// An observation reads the side that closes the watched window first, so taken alone it errs towards an <em>open</em>
    /// opposite window: a write and its commit landing between its two reads show as rows ahead (or records behind) that
    /// never existed. Pairing the earlier observation's second read with the later one's first puts the two reads of the
    /// opposite window in its own safe order: the target before the offsets for rows ahead, the offsets before the target
    /// for records behind.
    /// </remarks>
    /// <param name="kind">The watched window both observations were taken for.</param>
    /// <param name="earlier">An observation taken before <paramref name="later"/>.</param>
    /// <param name="later">The next observation.</param>
    /// <param name="keep">The partitions to count; when the two observations covered different partitions (the owner changed), only those both covered count.</param>
    /// <returns>The size of the opposite window: rows ahead when watching records behind, records behind when watching rows ahead.</returns>
    internal long OppositeWindowSize(CrashWindowKind kind, WindowObservation earlier, WindowObservation later, Func<SourcePartition, bool> keep)
    {
        if (kind == CrashWindowKind.CommitAheadOfTarget)
        {
            // Watching records behind reads offsets, then target: the earlier target was read before the later offsets.
            return earlier.Progress.Only(keep).RowsAhead(later.Committed.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value));
        }

        // Watching rows ahead reads target, then offsets: the earlier offsets were read before the later target.
        List<LedgerEntry> entries;
        lock (_indexGate)
        {
            entries = [.. _entries];
        }

        var committed = earlier.Committed.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        return later.Progress.Only(keep).RecordsBehind(committed, entries.Where(e => keep(e.SourcePartition)), Scenario.Semantics == Reconciliation.DeclaredSemantics.UpsertByKey).Values.Sum();
    }

    /// <summary>Counts the target's rows.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of rows in the target now.</returns>
    public async Task<long> CountTargetRowsAsync(CancellationToken cancellationToken) => Target is ITargetRowCount counting
        ? await counting.CountRowsAsync(cancellationToken).ConfigureAwait(false)
        : (await Target.SummarizeAsync(cancellationToken).ConfigureAwait(false)).RowCount;

    /// <summary>Reads the group's committed offsets for the run's topic.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed offset per partition; partitions without a commit are missing.</returns>
    public Task<IReadOnlyDictionary<SourcePartition, long>> ReadCommittedAsync(CancellationToken cancellationToken) =>
        Environment.GetCommittedOffsetsAsync(Names.GroupId, Names.Topic, cancellationToken);

    /// <summary>Finds the worker that runs a task, or <see langword="null"/> when the task is unassigned.</summary>
    /// <param name="task">The task number.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The live worker running the task and every task it runs, or <see langword="null"/>.</returns>
    public async Task<(WorkerInfo Worker, IReadOnlyList<int> Tasks)?> FindTaskWorkerAsync(int task, CancellationToken cancellationToken)
    {
        var connector = await Environment.GetConnectorAsync(Names.Connector, cancellationToken).ConfigureAwait(false);
        var owner = connector.Tasks.FirstOrDefault(t => t.Task == task && t.State == "RUNNING")?.WorkerId;
        if (owner is null)
        {
            return null;
        }

        var workers = await Environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false);
        var worker = workers.FirstOrDefault(w => w.IsRunning && string.Equals(w.WorkerId, owner, StringComparison.Ordinal));
        if (worker is null)
        {
            return null;
        }

        return (worker, connector.Tasks.Where(t => t.WorkerId == owner).Select(t => t.Task).ToArray());
    }

    /// <summary>Waits until the connector and every task run, or the timeout passes.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when everything ran before the timeout.</returns>
    public Task<bool> WaitForRunningAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(
            async ct => (await Environment.GetConnectorAsync(Names.Connector, ct).ConfigureAwait(false)).IsRunning,
            timeout,
            cancellationToken);

    /// <summary>Builds the crash window from the observation at the kill and the one read after it.</summary>
    internal CrashWindow BuildWindow(CrashWindowKind kind, WorkerInfo worker, IReadOnlyList<int> tasks, WindowObservation atKill, WindowObservation afterKill)
    {
        var partitions = atKill.Progress.Offsets.Keys.Concat(atKill.Committed.Keys).Concat(afterKill.Committed.Keys).Concat(afterKill.Behind.Keys)
            .Where(p => p.Topic == Names.Topic)
            .Distinct()
            .OrderBy(p => p.Partition)
            .Select(p => new CrashWindowPartition(
                p.Topic,
                p.Partition,
                atKill.Committed.TryGetValue(p, out var b) ? b : null,
                afterKill.Committed.TryGetValue(p, out var a) ? a : null,
                atKill.Progress.Highest(p),
                afterKill.Progress.RowsAhead(p, afterKill.Committed),
                afterKill.Behind.TryGetValue(p, out var behind) ? behind : 0))
            .ToArray();
        return new CrashWindow
        {
            Kind = kind,
            WorkerId = worker.WorkerId,
            Tasks = tasks,
            RowsAhead = partitions.Sum(p => p.RowsAhead),
            RecordsBehind = partitions.Sum(p => p.RecordsBehind),
            ObservedAtKill = atKill.Size(kind),
            Partitions = partitions,
        };
    }

    private void RefreshIndex()
    {
        lock (_indexGate)
        {
            if (_indexed == Ledger.Count)
            {
                return;
            }

            var entries = Ledger.Snapshot();
            for (var i = _indexed; i < entries.Count; i++)
            {
                _byEventId[entries[i].EventId] = entries[i];
                _byPosition[entries[i].Position] = entries[i];
                _entries.Add(entries[i]);
            }

            _indexed = entries.Count;
        }
    }
}
