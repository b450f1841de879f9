using System.Globalization;
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
    public override ScenarioCapabilities RequiredCapabilities =>
        Options.Kind == RebalanceKind.WorkerJoins
            ? ScenarioCapabilities.AddWorker
            : ScenarioCapabilities.KillWorker | ScenarioCapabilities.AddWorker;

    /// <inheritdoc />
    protected internal override void ConfigureConnector(IDictionary<string, string> config, ScenarioWorkload workload) =>
        config.TryAdd("tasks.max", Options.TasksMax.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    /// <remarks>
    /// A death needs a survivor to take the tasks over. Starting one takes seconds (a process, its REST API, joining the
    /// cluster), longer than a short stream lasts, so the spare joins before any record is produced.
    /// </remarks>
    protected internal override async Task PrepareAsync(FaultContext context, CancellationToken cancellationToken)
    {
        if (Options.Kind != RebalanceKind.WorkerDies)
        {
            return;
        }

        var alive = (await context.Environment.ListWorkersAsync(cancellationToken).ConfigureAwait(false)).Count(w => w.Alive);
        if (alive < 2)
        {
            var spare = await context.Environment.AddWorkerAsync(cancellationToken).ConfigureAwait(false);
            context.Record("add-worker", $"Added worker {spare.ConnectWorkerId} so a survivor can take the tasks over.");
            await context.WaitForRunningAsync(Options.Timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected internal override async Task<FaultOutcome> InjectAsync(FaultContext context, CancellationToken cancellationToken)
    {
        var threshold = (long)Math.Ceiling(Options.AtProgress * context.Scenario.Workload.Records);
        var armed = await context.WaitUntilAsync(
            async ct => await context.CountTargetRowsAsync(ct).ConfigureAwait(false) >= threshold,
            Options.Timeout,
            cancellationToken).ConfigureAwait(false);
        if (!armed)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"The target never held {threshold} row(s) within {Options.Timeout.TotalSeconds:0.#} s, so no rebalance was caused.");
            context.Record("gave-up", detail);
            return new FaultOutcome(false, detail);
        }

        var before = await context.Environment.GetConnectorAsync(context.Names.Connector, cancellationToken).ConfigureAwait(false);
        string action;
        string? movedFrom = null;
        if (Options.Kind == RebalanceKind.WorkerJoins)
        {
            var worker = await context.Environment.AddWorkerAsync(cancellationToken).ConfigureAwait(false);
            action = $"Worker {worker.ConnectWorkerId} joined";
            context.Record("add-worker", action + ".");
        }
        else if (Options.KillWhileTargetAhead)
        {
            var (window, _) = await WindowKill.KillInWindowAsync(context, 0, 1, Options.Timeout, cancellationToken).ConfigureAwait(false);
            if (window is null)
            {
                const string Detail = "The target was never seen ahead of the committed offsets, so no worker was killed.";
                context.Record("gave-up", Detail);
                return new FaultOutcome(false, Detail);
            }

            if (!window.InsideWindow)
            {
                return new FaultOutcome(false, $"Killed worker {window.WorkerId}, but a commit overtook the trigger: no row was ahead of the committed offsets at the kill.");
            }

            movedFrom = window.WorkerId;
            action = $"Worker {window.WorkerId} died with {window.RowsAhead} row(s) written but not committed";
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

            await context.Environment.KillWorkerAsync(owner.Value.Worker.Id, cancellationToken).ConfigureAwait(false);
            movedFrom = owner.Value.Worker.ConnectWorkerId;
            action = $"Worker {movedFrom} died (tasks {string.Join(',', owner.Value.Tasks)})";
            context.Record("kill-worker", action + ".");
        }

        var moved = await context.WaitUntilAsync(
            async ct =>
            {
                var now = await context.Environment.GetConnectorAsync(context.Names.Connector, ct).ConfigureAwait(false);
                return now.IsRunning
                    && (movedFrom is null
                        ? !now.Assignment().SequenceEqual(before.Assignment())
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

        return new FaultOutcome(true, $"{action}; tasks now run on {string.Join(", ", after.Tasks.Select(t => $"{t.Task}@{t.WorkerId}"))}.");
    }

    private static Dictionary<string, string?> Names(ConnectorSnapshot snapshot) =>
        snapshot.Tasks.ToDictionary(t => t.Task.ToString(CultureInfo.InvariantCulture), t => t.WorkerId);

    private static RebalanceOptions Validated(RebalanceOptions options)
    {
        options.Validate();
        return options;
    }
}
