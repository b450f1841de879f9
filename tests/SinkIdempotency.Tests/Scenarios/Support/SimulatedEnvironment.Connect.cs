using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Scenarios.Support;

/// <content>The simulated Connect cluster: connectors, tasks, workers, commits.</content>
internal sealed partial class SimulatedEnvironment
{
    public Task CreateConnectorAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var connector = new SimConnector(name, config);
            _connectors.Add(name, connector);
            foreach (var line in Options.ConnectorLog?.Invoke(config) ?? [])
            {
                foreach (var worker in _workers)
                {
                    Log(worker.Id, line);
                }
            }

            Created.Add("connector:" + name);
            if (!_tables.ContainsKey(connector.Table))
            {
                _tables.Add(connector.Table, []);
                Created.Add("table:" + connector.Table);
            }

            if (Options.FailConnectorStart)
            {
                connector.State = "FAILED";
                return Task.CompletedTask;
            }

            CreateTasks(connector);
            Assign();
        }

        return Task.CompletedTask;
    }

    public async Task DeleteConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        List<Task> stopping;
        lock (_gate)
        {
            if (!_connectors.Remove(name, out var connector))
            {
                return;
            }

            Removed.Add("connector:" + name);
            stopping = [.. connector.Tasks.Select(t => StopLoop(t, commit: true)).OfType<Task>()];
        }

        await Task.WhenAll(stopping);
    }

    public Task<ConnectorSnapshot> GetConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_connectors.TryGetValue(name, out var connector))
            {
                return Task.FromResult(new ConnectorSnapshot(name, ConnectorSnapshot.Missing, null, []));
            }

            var tasks = connector.State == "STOPPED"
                ? []
                : connector.Tasks.Select(t => new TaskSnapshot(t.Index, t.State, t.WorkerId, t.Trace)).ToArray();
            return Task.FromResult(new ConnectorSnapshot(name, connector.State, _workers.FirstOrDefault(w => w.Alive)?.ConnectId, tasks));
        }
    }

    public async Task StopConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        List<Task> stopping;
        lock (_gate)
        {
            var connector = _connectors[name];
            connector.State = "STOPPED";
            stopping = [.. connector.Tasks.Select(t => StopLoop(t, commit: true)).OfType<Task>()];
        }

        await Task.WhenAll(stopping);
    }

    public Task ResumeConnectorAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var connector = _connectors[name];
            connector.State = "RUNNING";
            CreateTasks(connector);
            Assign();
        }

        return Task.CompletedTask;
    }

    public Task AlterConnectorOffsetsAsync(string name, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var connector = _connectors[name];
            if (connector.State != "STOPPED")
            {
                throw new InvalidOperationException("Connectors must be in the STOPPED state before their offsets can be modified.");
            }

            SetOffsets(connector.GroupId, offsets);
        }

        return Task.CompletedTask;
    }

    /// <summary>Reports the running tasks' partitions (task i consumes partitions i, i + tasks.max, …) under Connect's consumer client ids.</summary>
    public Task<IReadOnlyDictionary<SourcePartition, string>> GetPartitionOwnersAsync(string groupId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var owners = new Dictionary<SourcePartition, string>();
            foreach (var connector in _connectors.Values.Where(c => c.GroupId == groupId))
            {
                var partitions = _topics.TryGetValue(connector.Topic, out var topic) ? topic.Length : 0;
                foreach (var task in connector.Tasks.Where(t => t.Loop is not null))
                {
                    for (var p = task.Index; p < partitions; p += connector.TasksMax)
                    {
                        owners[new SourcePartition(connector.Topic, p)] = Invariant($"connector-consumer-{connector.Name}-{task.Index}");
                    }
                }
            }

            IReadOnlyDictionary<SourcePartition, string> result = owners;
            return Task.FromResult(result);
        }
    }

    public async Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        List<Task> stopping;
        lock (_gate)
        {
            var worker = _workers.Single(w => w.Is(workerId));
            worker.Alive = false;
            worker.Frozen = false;
            Kills++;
            Log(worker.Id, "killed");
            stopping = [.. _connectors.Values.SelectMany(c => c.Tasks).Where(t => t.WorkerId == worker.ConnectId).Select(t => StopLoop(t, commit: false)).OfType<Task>()];
        }

        await Task.WhenAll(stopping);
        _ = ReassignLaterAsync();
    }

    /// <summary>Freezes a worker: its task loops stop at their next step, and every step is atomic, so nothing is in flight.</summary>
    public Task<SinkIdempotency.Environments.WorkerFreeze> FreezeWorkerAsync(string workerId, SinkIdempotency.Environments.WorkerDrainScope drain, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var worker = _workers.Single(w => w.Is(workerId) && w.Alive);
            worker.Frozen = true;
            Freezes++;
            Log(worker.Id, "frozen");
        }

        return Task.FromResult(Options.FreezeNeverDrains
            ? new SinkIdempotency.Environments.WorkerFreeze { WorkerId = workerId, Drained = false, Detail = "simulated: never drains" }
            : new SinkIdempotency.Environments.WorkerFreeze { WorkerId = workerId, Drained = true, Detail = "simulated: every step is atomic" });
    }

    public Task ThawWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _workers.Single(w => w.Is(workerId)).Frozen = false;
        }

        return Task.CompletedTask;
    }

    public Task RemoveWorkerAsync(string workerId, CancellationToken cancellationToken = default) => KillWorkerAsync(workerId, cancellationToken);

    public Task RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var worker = _workers.Single(w => w.Is(workerId));
            worker.Alive = true;
            Log(worker.Id, "restarted");
            Assign();
        }

        return Task.CompletedTask;
    }

    public async Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default)
    {
        SimWorker worker;
        List<Task> stopping;
        lock (_gate)
        {
            worker = new SimWorker($"w{_workers.Count}", $"sim-{_workers.Count}:8083");
            _workers.Add(worker);
            Log(worker.Id, "joined");

            // Graceful rebalance: every task commits on revocation, then tasks are spread over all live workers.
            stopping = [.. _connectors.Values.SelectMany(c => c.Tasks).Select(t => StopLoop(t, commit: true)).OfType<Task>()];
        }

        await Task.WhenAll(stopping);
        lock (_gate)
        {
            Assign();
        }

        return worker.Info();
    }

    private async Task ReassignLaterAsync()
    {
        await Task.Delay(Options.RebalanceDelay);
        lock (_gate)
        {
            Assign();
        }
    }

    private void CreateTasks(SimConnector connector)
    {
        connector.Tasks.Clear();
        for (var i = 0; i < connector.TasksMax; i++)
        {
            connector.Tasks.Add(new SimTask(i));
        }
    }

    // Called under the lock: unassigned tasks of running connectors go round-robin to live workers.
    private void Assign()
    {
        var alive = _workers.Where(w => w.Alive).ToList();
        if (alive.Count == 0)
        {
            return;
        }

        foreach (var connector in _connectors.Values.Where(c => c.State == "RUNNING"))
        {
            foreach (var task in connector.Tasks.Where(t => t.Loop is null && t.State != "FAILED"))
            {
                var worker = alive[task.Index % alive.Count];
                task.WorkerId = worker.ConnectId;
                task.State = "RUNNING";
                task.Cancellation = new CancellationTokenSource();
                var token = task.Cancellation.Token;
                task.Loop = Task.Run(() => RunTaskAsync(connector, task, token));
            }
        }
    }

    // Called under the lock; returns the loop to await outside it.
    private Task? StopLoop(SimTask task, bool commit)
    {
        var loop = task.Loop;
        if (loop is null)
        {
            return null;
        }

        task.Loop = null;
        task.Commit = commit;
        task.Cancellation!.Cancel();
        task.WorkerId = null;
        if (task.State != "FAILED")
        {
            task.State = "UNASSIGNED";
        }

        return loop;
    }

    private async Task RunTaskAsync(SimConnector connector, SimTask task, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<SourcePartition, long>();
        var lastCommit = DateTimeOffset.UtcNow;
        try
        {
            lock (_gate)
            {
                var partitions = _topics[connector.Topic].Length;
                var committed = _groups.TryGetValue(connector.GroupId, out var group) ? group : [];
                for (var p = task.Index; p < partitions; p += connector.TasksMax)
                {
                    var sp = new SourcePartition(connector.Topic, p);
                    // Without a committed offset the consumer's auto.offset.reset decides: earliest (Connect's default) or latest.
                    var start = connector.StartsAtEnd ? _topics[connector.Topic][p].Count : 0;
                    positions[sp] = Math.Max(committed.TryGetValue(sp, out var c) ? c : start, LogStart(sp));
                }
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                List<(SourcePartition Partition, long Offset, SimRecord Record)> batch = [];
                lock (_gate)
                {
                    var topic = _topics[connector.Topic];
                    foreach (var (partition, position) in positions)
                    {
                        var records = topic[partition.Partition];
                        for (var o = position; o < records.Count && batch.Count < Options.BatchSize; o++)
                        {
                            batch.Add((partition, o, records[(int)o]));
                        }
                    }
                }

                if (batch.Count > 0)
                {
                    if (Options.CommitBeforeWrite)
                    {
                        // The loss window: the batch's offsets are committed, then the write takes BatchDelay.
                        await WhileFrozenAsync(task, cancellationToken);
                        var claimed = new Dictionary<SourcePartition, long>(positions);
                        foreach (var (partition, offset, _) in batch)
                        {
                            claimed[partition] = Math.Max(claimed[partition], offset + 1);
                        }

                        lock (_gate)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            Commit(connector, claimed);
                        }
                    }

                    await Task.Delay(Options.BatchDelay, cancellationToken);
                    await WhileFrozenAsync(task, cancellationToken);
                    lock (_gate)
                    {
                        // A task stopped or killed during the write leaves nothing behind: the write is atomic.
                        cancellationToken.ThrowIfCancellationRequested();
                        if (!Write(connector, task, batch, positions))
                        {
                            return;
                        }

                        if (Options.CommitWithWrite)
                        {
                            Commit(connector, positions);
                        }
                    }
                }
                else
                {
                    await Task.Delay(2, cancellationToken);
                }

                if (!Options.NeverCommit && DateTimeOffset.UtcNow - lastCommit >= Options.FlushInterval)
                {
                    await WhileFrozenAsync(task, cancellationToken);
                    lock (_gate)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Commit(connector, positions);
                    }

                    lastCommit = DateTimeOffset.UtcNow;
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (task.Commit && !Options.NeverCommit)
                {
                    Commit(connector, positions);
                }
            }
        }
    }

    // A frozen worker's task takes no step until it is thawed (or killed).
    private async Task WhileFrozenAsync(SimTask task, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_workers.Any(w => w.Frozen && w.ConnectId == task.WorkerId))
                {
                    return;
                }
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    // Under the lock. Returns false when the task failed on a poison record.
    private bool Write(SimConnector connector, SimTask task, List<(SourcePartition Partition, long Offset, SimRecord Record)> batch, Dictionary<SourcePartition, long> positions)
    {
        // auto.create: a sink whose table was dropped creates it again on its next write.
        if (!_tables.TryGetValue(connector.Table, out var rows))
        {
            rows = [];
            _tables.Add(connector.Table, rows);
        }

        foreach (var (partition, offset, record) in batch)
        {
            if (record.Poison || Options.FailEveryRecord)
            {
                if (!connector.ToleranceAll)
                {
                    task.State = "FAILED";
                    task.Trace = "org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler\n"
                        + (Options.TraceNamesRecord ? Invariant($"Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {{topic='{partition.Topic}', partition={partition.Partition}, offset={offset}}}.\n") : string.Empty)
                        + "\tat simulated\nCaused by: org.apache.kafka.connect.errors.DataException: simulated converter failure";
                    task.Loop = null;
                    return false;
                }

                if (connector.DeadLetterTopic is { } dlq && _topics.TryGetValue(dlq, out var dlqPartitions))
                {
                    dlqPartitions[0].Add(record with { DeadLetterOf = new SourcePosition(partition.Topic, partition.Partition, offset) });
                }
            }
            else
            {
                var row = new SimRow(new TargetRow(record.EventId, record.Key, record.Version, record.Hash), VisibleAt());
                if (Options.WriteNothing)
                {
                    positions[partition] = offset + 1;
                    continue;
                }

                if (connector.Upsert && record.Key is not null)
                {
                    var existing = rows.FindIndex(r => r.Row.Key == record.Key);
                    if (existing >= 0)
                    {
                        rows[existing] = row;
                    }
                    else
                    {
                        rows.Add(row);
                    }
                }
                else
                {
                    rows.Add(row);
                }
            }

            positions[partition] = offset + 1;
        }

        return true;
    }

    // A row published on a schedule shows at the next multiple of the period.
    private DateTimeOffset VisibleAt()
    {
        var now = DateTimeOffset.UtcNow;
        if (Options.PublishEvery is not { } period)
        {
            return now;
        }

        var ticks = period.Ticks;
        return new DateTimeOffset(((now.UtcTicks / ticks) + 1) * ticks, TimeSpan.Zero);
    }

    private void Commit(SimConnector connector, Dictionary<SourcePartition, long> positions)
    {
        if (!_groups.TryGetValue(connector.GroupId, out var group))
        {
            group = [];
            _groups[connector.GroupId] = group;
        }

        foreach (var (partition, position) in positions)
        {
            group[partition] = position;
        }
    }

    private sealed class SimConnector
    {
        public SimConnector(string name, IReadOnlyDictionary<string, string> config)
        {
            Name = name;
            Topic = config["topics"];
            Table = config["table.name.format"];
            Upsert = config.TryGetValue("insert.mode", out var mode) && mode == "upsert";
            ToleranceAll = config.TryGetValue("errors.tolerance", out var tolerance) && tolerance == "all";
            DeadLetterTopic = config.TryGetValue("errors.deadletterqueue.topic.name", out var dlq) && dlq.Length > 0 ? dlq : null;
            TasksMax = config.TryGetValue("tasks.max", out var max) ? int.Parse(max, System.Globalization.CultureInfo.InvariantCulture) : 1;
            StartsAtEnd = config.TryGetValue("consumer.override.auto.offset.reset", out var reset) && reset == "latest";
        }

        public bool StartsAtEnd { get; }

        public string Name { get; }

        public string GroupId => "connect-" + Name;

        public string Topic { get; }

        public string Table { get; }

        public bool Upsert { get; }

        public bool ToleranceAll { get; }

        public string? DeadLetterTopic { get; }

        public int TasksMax { get; }

        public string State { get; set; } = "RUNNING";

        public List<SimTask> Tasks { get; } = [];
    }

    private sealed class SimTask(int index)
    {
        public int Index { get; } = index;

        public string State { get; set; } = "UNASSIGNED";

        public string? WorkerId { get; set; }

        public string? Trace { get; set; }

        public Task? Loop { get; set; }

        public CancellationTokenSource? Cancellation { get; set; }

        public bool Commit { get; set; }
    }
}
