using System.Globalization;
using SinkIdempotency.Environments;
using SinkIdempotency.Evidence;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Faults;

/// <summary>Moves the sink's partitions between workers mid-stream: a worker joins, or the worker running a task dies.</summary>
/// <remarks>
/// A join revokes partitions gracefully: Connect flushes and commits before it hands them over, so a sink that flushes
/// in <c>preCommit</c> neither loses nor duplicates. A death gives no chance to commit: the survivors resume from the
/// last committed offsets, which an append-only sink turns into duplicates. The evidence holds the assignment history.
/// </remarks>
/// <param name="options">The options; <see langword="null"/> for the defaults.</param>
public sealed class Rebalance(RebalanceOptions? options = null) : Fault
{
    /// <summary>Gets the options.</summary>
    /// <value>The options given to the constructor, or the defaults.</value>
    public RebalanceOptions Options { get; } = Validated(options ?? new RebalanceOptions());

    /// <inheritdoc />
    public override string Name => "rebalance";

    /// <inheritdoc />
    public override EnvironmentCapabilities RequiredCapabilities =>
        Options.Kind == RebalanceKind.WorkerJoins
            ? EnvironmentCapabilities.AddWorker
            : EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Thrown when the topic has one partition: nothing can move between workers.</exception>
    public override void Validate(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Workload.Partitions < 2)
        {
            throw new ArgumentException($"Scenario '{scenario.Name}' rebalances a topic with one partition; nothing can move between workers. Use at least 2 partitions.");
        }
    }

    /// <inheritdoc />
    protected internal override void ConfigureConnector(IDictionary<string, string> config, ScenarioWorkload workload) =>
        config.TryAdd("tasks.max", Options.TasksMax.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    /// <remarks>
    /// Starting a worker takes seconds (a process, its REST API, joining the cluster), longer than a short stream lasts.
    /// A join therefore starts its worker on standby before any record is produced, where the environment can, and only
    /// admits it into the cluster mid-stream; a death starts the survivor that takes the tasks over.
    /// </remarks>
    protected internal override async Task PrepareAsync(FaultContext context, CancellationToken cancellationToken)
    {
        if (Options.Kind == RebalanceKind.WorkerJoins)
        {
            if (context.Environment.Capabilities.HasFlag(EnvironmentCapabilities.StandbyWorker))
            {
                var standby = await context.Environment.AddStandbyWorkerAsync(cancellationToken).ConfigureAwait(false);
                context.StandbyWorker = standby;
                context.Record("standby-worker", $"Started worker {standby.WorkerId} on standby, so it joins within a second of its admission mid-stream.");
            }

            return;
        }

        if (Options.KillWhileTargetAhead)
        {
            context.HoldStreamBefore(Threshold(context));
        }

        var alive = (await context.Environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false)).Count(w => w.IsRunning);
        if (alive < 2)
        {
            var spare = await context.Environment.AddWorkerAsync(cancellationToken).ConfigureAwait(false);
            context.Record("add-worker", $"Added worker {spare.WorkerId} so a survivor can take the tasks over.");
            await context.WaitForRunningAsync(Options.Timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var standby = context.StandbyWorker;
        try
        {
            return await RebalanceAsync(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.ReleaseStream();

            // A standby worker that was never admitted must not linger in the environment.
            if (standby is not null && context.StandbyWorker is not null)
            {
                context.StandbyWorker = null;
                await context.Environment.KillWorkerAsync(standby.WorkerId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>A worker that joined leaves again, gracefully, so the next scenario finds the cluster it was set up with.</remarks>
    protected internal override async Task CleanupAsync(FaultContext context, CancellationToken cancellationToken)
    {
        foreach (var worker in context.AddedWorkers)
        {
            await context.Environment.RemoveWorkerAsync(worker.WorkerId, cancellationToken).ConfigureAwait(false);
            context.Record("remove-worker", $"Stopped worker {worker.WorkerId}, which joined for the rebalance.");
        }

        context.AddedWorkers.Clear();
    }

    private async Task<FaultOutcome> RebalanceAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var total = context.Scenario.Workload.Records;
        var threshold = Threshold(context);

        // Read before the trigger, so nothing stands between the trigger and the rebalance.
        var before = await context.Environment.GetConnectorAsync(context.Names.Connector, cancellationToken).ConfigureAwait(false);
        var armed = await context.WaitUntilAsync(
            _ => Task.FromResult(context.Ledger.Count >= threshold),
            Options.Timeout,
            cancellationToken).ConfigureAwait(false);
        if (!armed)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"Only {context.Ledger.Count} of the {threshold} record(s) to produce before the rebalance were produced within {Options.Timeout.TotalSeconds:0.#} s, so no rebalance was caused.");
            context.Record("gave-up", detail);
            return new FaultOutcome(false, detail);
        }

        string action;
        string? movedFrom = null;
        if (Options.Kind == RebalanceKind.WorkerJoins)
        {
            action = await JoinAsync(context, total, cancellationToken).ConfigureAwait(false);
        }
        else if (Options.KillWhileTargetAhead)
        {
            // The stream holds at the threshold (see PrepareAsync), and the watch releases it once the group has committed
            // every record produced so far: the sink is then taking records in as they come. Without the hold a sink whose
            // consumers start late (a slowly rebalancing group) took the whole stream in a few polls after the last record.
            // The watch then produces the rest in held steps, so a commit that races a freeze leaves later steps to catch.
            var watch = new WindowWatch(CrashWindowKind.TargetAheadOfCommit, 0, 1, Options.Timeout);
            var result = await WindowKill.KillInWindowAsync(context, watch, cancellationToken).ConfigureAwait(false);
            if (result.Window is not { } window)
            {
                return WindowKill.NotKilled(context, watch, result);
            }

            if (!window.InsideWindow)
            {
                return WindowKill.Killed(window);
            }

            movedFrom = window.WorkerId;
            action = $"Worker {window.WorkerId} died with {WindowKill.Describe(window.Kind, window.RowsAhead)}";
        }
        else
        {
            var owner = await context.FindTaskWorkerAsync(0, cancellationToken).ConfigureAwait(false);
            if (owner is null)
            {
                const string Detail = "Task 0 was not running on any live worker, so no worker was killed.";
                context.Record("gave-up", Detail);
                return new FaultOutcome(false, Detail);
            }

            await context.Environment.KillWorkerAsync(owner.Value.Worker.WorkerId, cancellationToken).ConfigureAwait(false);
            movedFrom = owner.Value.Worker.WorkerId;
            action = $"Worker {movedFrom} died (tasks {string.Join(',', owner.Value.Tasks)})";
            context.Record("kill-worker", action + ".");
        }

        // A death lands when the worker dies; a join when the first task stops or moves (Connect's eager protocol revokes
        // every task before it reassigns them).
        long? landedAt = movedFrom is null ? null : context.Ledger.Count;
        long? uncommittedAtLanding = landedAt is { } died && died >= total ? await UncommittedAsync(context, cancellationToken).ConfigureAwait(false) : null;
        var moved = await context.WaitUntilAsync(
            async ct =>
            {
                var produced = context.Ledger.Count;
                var now = await context.Environment.GetConnectorAsync(context.Names.Connector, ct).ConfigureAwait(false);
                var changed = !now.Assignment().SequenceEqual(before.Assignment());
                if (landedAt is null && (changed || !now.IsRunning))
                {
                    landedAt = produced;
                    uncommittedAtLanding = produced >= total ? await UncommittedAsync(context, ct).ConfigureAwait(false) : null;
                }

                return now.IsRunning
                    && (movedFrom is null
                        ? changed
                        : now.Tasks.All(t => t.WorkerId != movedFrom));
            },
            Options.Timeout,
            cancellationToken).ConfigureAwait(false);
        var after = await context.Environment.GetConnectorAsync(context.Names.Connector, cancellationToken).ConfigureAwait(false);
        context.Timeline.Add(new AssignmentEvidence
        {
            At = context.Now,
            Step = context.Step,
            Before = Names(before),
            After = Names(after),
        });
        if (!moved)
        {
            var detail = movedFrom is null
                ? $"{action}, but no task moved within {Options.Timeout.TotalSeconds:0.#} s."
                : $"{action}, but its tasks were not running elsewhere within {Options.Timeout.TotalSeconds:0.#} s.";
            context.Record(movedFrom is null ? "no-movement" : "not-reassigned", detail);

            // A join that moves nothing is still a rebalance; a death whose tasks never come back is not a finished fault.
            return new FaultOutcome(movedFrom is null, detail);
        }

        var outcome = new FaultOutcome(true, $"{action}; tasks now run on {string.Join(", ", after.Tasks.Select(t => $"{t.Task}@{t.WorkerId}"))}.");
        return landedAt is { } landed ? Landed(context, outcome, movedFrom is null ? "tasks moved" : "the worker died", landed, total, uncommittedAtLanding) : outcome;
    }

    private long Threshold(FaultContext context) => Math.Max(1, (long)Math.Ceiling(Options.AtProgress * context.Scenario.Workload.Records));

    // Lets the standby worker in (or starts one where the environment has no standby), at the produce progress reached now.
    private static async Task<string> JoinAsync(FaultContext context, long total, CancellationToken cancellationToken)
    {
        var produced = context.Ledger.Count;
        string action;
        if (context.StandbyWorker is { } standby)
        {
            await context.Environment.AdmitWorkerAsync(standby.WorkerId, cancellationToken).ConfigureAwait(false);
            context.StandbyWorker = null;
            context.AddedWorkers.Add(standby);
            action = $"Worker {standby.WorkerId} joined";
            context.Record("admit-worker", string.Create(CultureInfo.InvariantCulture, $"Admitted standby worker {standby.WorkerId} into the cluster with {produced} of {total} record(s) produced."));
        }
        else
        {
            var worker = await context.Environment.AddWorkerAsync(cancellationToken).ConfigureAwait(false);
            context.AddedWorkers.Add(worker);
            action = $"Worker {worker.WorkerId} joined";
            context.Record("add-worker", string.Create(CultureInfo.InvariantCulture, $"Started worker {worker.WorkerId}, which joined the cluster; its start began with {produced} of {total} record(s) produced."));
        }

        return action;
    }

    // Counts the produced records the group has not committed yet: what a sink may still hold when partitions move.
    private static async Task<long> UncommittedAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var committed = await context.ReadCommittedAsync(cancellationToken).ConfigureAwait(false);
        return context.Ledger.Snapshot()
            .GroupBy(e => e.SourcePartition)
            .Sum(g => Math.Max(0, g.Max(e => e.Offset) + 1 - (committed.TryGetValue(g.Key, out var offset) ? offset : 0)));
    }

    // Says where in the stream the rebalance landed. One that came after the last record still tests the sink while the
    // group had records left to commit (the sink may hold them); once every record was committed, nothing was in flight
    // while partitions moved, and the run must not pass as if the rebalance had been tested.
    private static FaultOutcome Landed(FaultContext context, FaultOutcome outcome, string what, long landed, long total, long? uncommitted)
    {
        if (landed >= total && uncommitted == 0)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"{outcome.Detail} But it landed after the stream, once the group had committed all {total} record(s): nothing was in flight while partitions moved, so the rebalance tested nothing. Produce more records, or more slowly.");
            context.Record("rebalance-landed", detail);
            return new FaultOutcome(false, detail);
        }

        if (landed < total)
        {
            context.Record("rebalance-landed", string.Create(CultureInfo.InvariantCulture, $"The rebalance landed mid-stream: {what} with {landed} of {total} record(s) produced, and {total - landed} were produced after it."));
            return outcome with { Detail = string.Create(CultureInfo.InvariantCulture, $"{outcome.Detail} It landed mid-stream, with {landed} of {total} record(s) produced.") };
        }

        var caveat = string.Create(CultureInfo.InvariantCulture, $"The rebalance landed after the stream: {what} only once all {total} record(s) were produced, with {uncommitted ?? 0} of them not yet committed by the group; only those were in flight while partitions moved.");
        context.Record("rebalance-landed", caveat);
        return outcome with { Caveat = caveat };
    }

    private static Dictionary<string, string?> Names(ConnectorSnapshot snapshot) =>
        snapshot.Tasks.ToDictionary(t => t.Task.ToString(CultureInfo.InvariantCulture), t => t.WorkerId);

    private static RebalanceOptions Validated(RebalanceOptions options)
    {
        options.Validate();
        return options;
    }
}
