using System.Globalization;
using SinkIdempotency.Evidence;

namespace SinkIdempotency.Scenarios;

/// <content>Watching the sink's consumer group for rebalances, and warning about those no harness action explains.</content>
internal sealed partial class ScenarioRun
{
    private readonly List<string> _warnings = [];
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
            var warning = string.Create(
                CultureInfo.InvariantCulture,
                $"The sink's consumer group {_names.GroupId} rebalanced at {Now:HH:mm:ss.fff} ({_step}) with no harness action since it last settled: members {Members(change.Before)} became {Members(change.After)}. Usually a member paused past session.timeout.ms (garbage collection or a busy machine) or a poll past max.poll.interval.ms; the run was disturbed by something the scenario did not ask for.");
            lock (_warnings)
            {
                _warnings.Add(warning);
            }

            Mark("warning: unplanned rebalance of " + _names.GroupId);
        }
    }

    private IReadOnlyList<string> Warnings()
    {
        lock (_warnings)
        {
            return [.. _warnings];
        }
    }

    private static string Members(IReadOnlyDictionary<string, string> members) =>
        members.Count == 0 ? "(none)" : "[" + string.Join("; ", members.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key} {m.Value}")) + "]";
}
