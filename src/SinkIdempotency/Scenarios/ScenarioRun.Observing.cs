using SinkIdempotency.Evidence;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Records offsets, connector states, assignments and target figures in the timeline, on demand and by sampling.</content>
internal sealed partial class ScenarioRun
{
    private string? _lastStates;
    private IReadOnlyDictionary<int, string?>? _lastAssignment;

    private async Task ObserveOffsetsAsync(string label, CancellationToken cancellationToken)
    {
        var end = await _environment.GetEndOffsetsAsync(_names.Topic, cancellationToken).ConfigureAwait(false);
        var committed = await _environment.GetCommittedOffsetsAsync(_names.GroupId, _names.Topic, cancellationToken).ConfigureAwait(false);
        _timeline.Add(new OffsetsEvidence
        {
            At = Now,
            Step = _step,
            Label = label,
            Partitions = [.. end.OrderBy(p => p.Key.Partition).Select(p => new PartitionOffsets(p.Key.Topic, p.Key.Partition, p.Value, committed.TryGetValue(p.Key, out var c) ? c : null))],
        });
    }

    private async Task<ConnectorSnapshot> ObserveConnectorAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _environment.GetConnectorAsync(_names.Connector, cancellationToken).ConfigureAwait(false);
        RecordConnector(snapshot);
        return snapshot;
    }

    // Only changes are recorded, so the timeline shows transitions rather than a wall of identical samples.
    private void RecordConnector(ConnectorSnapshot snapshot)
    {
        var states = snapshot.State + "|" + string.Join(",", snapshot.Tasks.Select(t => $"{t.Task}:{t.State}@{t.WorkerId}"));
        lock (_timeline)
        {
            if (states != _lastStates)
            {
                _lastStates = states;
                _timeline.Add(new ConnectorStateEvidence
                {
                    At = Now,
                    Step = _step,
                    State = snapshot.State,
                    Tasks = [.. snapshot.Tasks.Select(t => new TaskStateEvidence(t.Task, t.State, t.WorkerId, t.Trace is null ? null : FirstLine(t.Trace)))],
                });
            }

            var assignment = snapshot.Assignment();
            if (snapshot.Tasks.Count > 0 && (_lastAssignment is null || !assignment.OrderBy(a => a.Key).SequenceEqual(_lastAssignment.OrderBy(a => a.Key))))
            {
                _timeline.Add(new AssignmentEvidence
                {
                    At = Now,
                    Step = _step,
                    Before = Names(_lastAssignment),
                    After = Names(assignment),
                });
                _lastAssignment = assignment;
            }
        }
    }

    private static Dictionary<string, string?> Names(IReadOnlyDictionary<int, string?>? assignment) =>
        assignment?.ToDictionary(a => a.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), a => a.Value) ?? [];

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ObserveOffsetsAsync("sample", cancellationToken).ConfigureAwait(false);
                await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
                var target = await _target.SummarizeAsync(cancellationToken).ConfigureAwait(false);
                _rhythm.Observe(Now, target, DisturbedBetween);
                _timeline.Add(new TargetEvidence { At = Now, Step = _step, Target = _target.Description, Rows = target.RowCount, Checksum = ValueHash.Format(target.Checksum) });
                if (_usedProxy && _environment.TargetProxy is { } proxy)
                {
                    _timeline.Add(new ProxyCountersEvidence { At = Now, Step = _step, Behaviour = proxy.Behaviour.ToString(), Counters = proxy.GetCounters() });
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A worker being killed or a rebalance makes reads fail for a moment; sampling carries on.
                Mark("sample failed: " + ex.Message);
            }

            await Task.Delay(_options.SampleInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
