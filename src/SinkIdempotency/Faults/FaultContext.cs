using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Gives a fault the run's environment, names, ledger and timeline, and the observations every fault needs.</summary>
internal sealed class FaultContext
{
    private readonly Lock _indexGate = new();
    private readonly Dictionary<string, SourcePosition> _positions = new(StringComparer.Ordinal);
    private int _indexed;

    public FaultContext(
        IScenarioEnvironment environment,
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
        Names = names;
        Scenario = scenario;
        Ledger = ledger;
        Target = target;
        Timeline = timeline;
        TimeProvider = timeProvider;
        PollInterval = pollInterval;
        FaultName = faultName;
    }

    public IScenarioEnvironment Environment { get; }

    public RunNamespace Names { get; }

    public Scenario Scenario { get; }

    public Ledger Ledger { get; }

    public ITargetReader Target { get; }

    public EvidenceTimeline Timeline { get; }

    public TimeProvider TimeProvider { get; }

    public TimeSpan PollInterval { get; }

    public string FaultName { get; }

    public string Step { get; set; } = "fault";

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    /// <summary>Records a fault action in the timeline.</summary>
    public void Record(string action, string detail, CrashWindow? window = null) =>
        Timeline.Add(new FaultActionEvidence { At = Now, Step = Step, Fault = FaultName, Action = action, Detail = detail, Window = window });

    /// <summary>Polls a condition until it holds or the timeout passes.</summary>
    public async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Now + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await condition(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (Now >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the target and locates each row's source position (its own Kafka coordinates, or the ledger entry of its event id).</summary>
    public async Task<TargetProgress> ReadTargetProgressAsync(CancellationToken cancellationToken)
    {
        RefreshIndex();
        var offsets = new Dictionary<SourcePartition, List<long>>();
        long rows = 0;
        long located = 0;
        await foreach (var row in Target.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
            SourcePosition? position = row.Source;
            if (position is null && row.EventId is not null)
            {
                lock (_indexGate)
                {
                    if (_positions.TryGetValue(row.EventId, out var found))
                    {
                        position = found;
                    }
                }
            }

            if (position is { } p)
            {
                located++;
                if (!offsets.TryGetValue(p.SourcePartition, out var list))
                {
                    list = [];
                    offsets.Add(p.SourcePartition, list);
                }

                list.Add(p.Offset);
            }
        }

        return new TargetProgress(rows, located, offsets);
    }

    /// <summary>Counts the target's rows.</summary>
    public async Task<long> CountTargetRowsAsync(CancellationToken cancellationToken) =>
        (await Target.SummarizeAsync(cancellationToken).ConfigureAwait(false)).RowCount;

    /// <summary>Reads the group's committed offsets for the run's topic.</summary>
    public Task<IReadOnlyDictionary<SourcePartition, long>> ReadCommittedAsync(CancellationToken cancellationToken) =>
        Environment.GetCommittedOffsetsAsync(Names.GroupId, Names.Topic, cancellationToken);

    /// <summary>Finds the worker that runs a task, or <see langword="null"/> when the task is unassigned.</summary>
    public async Task<(WorkerInfo Worker, IReadOnlyList<int> Tasks)?> FindTaskWorkerAsync(int task, CancellationToken cancellationToken)
    {
        var connector = await Environment.GetConnectorAsync(Names.Connector, cancellationToken).ConfigureAwait(false);
        var owner = connector.Tasks.FirstOrDefault(t => t.Task == task && t.State == "RUNNING")?.WorkerId;
        if (owner is null)
        {
            return null;
        }

        var workers = await Environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false);
        var worker = workers.FirstOrDefault(w => w.Alive && string.Equals(w.ConnectWorkerId, owner, StringComparison.Ordinal));
        if (worker is null)
        {
            return null;
        }

        return (worker, connector.Tasks.Where(t => t.WorkerId == owner).Select(t => t.Task).ToArray());
    }

    /// <summary>Waits until the connector and every task run, or the timeout passes.</summary>
    public Task<bool> WaitForRunningAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitUntilAsync(
            async ct => (await Environment.GetConnectorAsync(Names.Connector, ct).ConfigureAwait(false)).IsRunning,
            timeout,
            cancellationToken);

    /// <summary>Builds the crash window from the rows read before a kill and the committed offsets read around it.</summary>
    public CrashWindow BuildWindow(
        WorkerInfo worker,
        IReadOnlyList<int> tasks,
        TargetProgress progress,
        IReadOnlyDictionary<SourcePartition, long> before,
        IReadOnlyDictionary<SourcePartition, long> after)
    {
        var partitions = progress.Offsets.Keys.Concat(before.Keys).Concat(after.Keys)
            .Where(p => p.Topic == Names.Topic)
            .Distinct()
            .OrderBy(p => p.Partition)
            .Select(p => new CrashWindowPartition(
                p.Topic,
                p.Partition,
                before.TryGetValue(p, out var b) ? b : null,
                after.TryGetValue(p, out var a) ? a : null,
                progress.Highest(p),
                progress.RowsAhead(p, after)))
            .ToArray();
        return new CrashWindow
        {
            WorkerId = worker.ConnectWorkerId,
            Tasks = tasks,
            RowsAhead = partitions.Sum(p => p.RowsAhead),
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
                _positions[entries[i].EventId] = entries[i].Position;
            }

            _indexed = entries.Count;
        }
    }
}
