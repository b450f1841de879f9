using System.Globalization;
using SinkIdempotency.Evidence;

namespace SinkIdempotency.Scenarios;

/// <content>Watching the sink's consumer group for rebalances, and warning about those no harness action explains.</content>
internal sealed partial class ScenarioRun
{
    private readonly List<string> _warnings = [];
    private readonly List<(DateTimeOffset At, string Step, RebalanceChange Change)> _unplannedRebalances = [];
    private RebalanceWatch? _rebalances;
    private int _faultActionsSeen;
    private bool _groupUnobservable;

    private RebalanceWatch Rebalances => _rebalances ??= new RebalanceWatch(_options.RebalanceGrace, _scenario.Workload.Partitions);

    // The deployment (and anything else the runner itself does to the connector) opens an expectation of group changes.
    private void NoteHarnessAction(string description) => Rebalances.OnHarnessAction(Now, description);

    private async Task ObserveGroupAsync(CancellationToken cancellationToken)
    {
        if (_groupUnobservable)
        {
            return;
        }

        // Every fault action counts as a harness action: the watch cannot know which of them touch the group.
        var actions = _timeline.OfType<FaultActionEvidence>();
        foreach (var action in actions.Skip(_faultActionsSeen))
        {
            Rebalances.OnHarnessAction(action.At, $"fault {action.Action}");
        }

        _faultActionsSeen = actions.Count;
        var members = await _environment.DescribeGroupMembersAsync(_names.GroupId, cancellationToken).ConfigureAwait(false);
        if (members is null)
        {
            _groupUnobservable = true;
            Mark("the environment cannot describe consumer groups; rebalances the harness did not cause go unobserved");
            return;
        }

        if (Rebalances.Observe(Now, members) is not { } change)
        {
            return;
        }

        _timeline.Add(new RebalanceEvidence
        {
            At = Now,
            Step = _step,
            Group = _names.GroupId,
            Before = change.Before,
            After = change.After,
            Planned = change.Planned,
            Cause = change.Cause,
        });
        if (!change.Planned)
        {
            lock (_warnings)
            {
                _unplannedRebalances.Add((Now, _step, change));
            }

            Mark("warning: unplanned rebalance of " + _names.GroupId);
        }
    }

    // Built once the run's task failures are all known: a failed task's consumer leaves the group and Connect moves its
    // partitions to the tasks still running, which is the failure's doing, not a pause of the machine.
    private IReadOnlyList<string> Warnings()
    {
        List<(DateTimeOffset At, string Step, RebalanceChange Change)> unplanned;
        var texts = new List<string>();
        lock (_warnings)
        {
            texts.AddRange(_warnings);
            unplanned = [.. _unplannedRebalances];
        }

        List<int> failed;
        lock (_timeline)
        {
            failed = [.. _failures.Values.Select(f => f.Task).Distinct().Order()];
        }

        DateTimeOffset? lastLeave = null;
        foreach (var (at, step, change) in unplanned)
        {
            var left = failed.Where(t => HasTask(change.Before, t) && !HasTask(change.After, t)).ToList();
            var members = $"members {Members(change.Before)} became {Members(change.After)}";
            if (left.Count > 0 || (lastLeave is { } leave && at - leave <= _options.RebalanceGrace))
            {
                var tasks = left.Count > 0 ? left : failed;
                lastLeave = left.Count > 0 ? at : lastLeave;
                texts.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The sink's consumer group {_names.GroupId} rebalanced at {at:HH:mm:ss.fff} ({step}) after task {string.Join(", ", tasks)} failed: {members}. A failed task's consumer leaves the group, and Connect moves its partitions to the tasks still running."));
                continue;
            }

            texts.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The sink's consumer group {_names.GroupId} rebalanced at {at:HH:mm:ss.fff} ({step}) with no harness action since it last settled: {members}. Usually a member paused past session.timeout.ms (garbage collection or a busy machine) or a poll past max.poll.interval.ms; the run was disturbed by something the scenario did not ask for."));
        }

        return texts;
    }

    // Connect names a task's consumer connector-consumer-CONNECTOR-TASK; the description is client id@host: partitions.
    private bool HasTask(IReadOnlyDictionary<string, string> members, int task) =>
        members.Values.Any(m => m.StartsWith(string.Create(CultureInfo.InvariantCulture, $"connector-consumer-{_names.Connector}-{task}@"), StringComparison.Ordinal));

    private static string Members(IReadOnlyDictionary<string, string> members) =>
        members.Count == 0 ? "(none)" : "[" + string.Join("; ", members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {m.Value}")) + "]";
}
