using SinkIdempotency.Connect;
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
            RecordFailures(snapshot);
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
            // Each observation stands alone: a dead worker's REST API must not cost the sample of the broker and the target.
            await SampleOneAsync(SampleGapEvidence.Offsets, ct => ObserveOffsetsAsync("sample", ct), cancellationToken).ConfigureAwait(false);
            await SampleOneAsync(SampleGapEvidence.Connector, ObserveConnectorAsync, cancellationToken).ConfigureAwait(false);
            await SampleOneAsync(SampleGapEvidence.Group, ObserveGroupAsync, cancellationToken).ConfigureAwait(false);
            await SampleOneAsync(
                SampleGapEvidence.Target,
                async ct =>
                {
                    var target = await _target.SummarizeAsync(ct).ConfigureAwait(false);
                    _rhythm.Observe(Now, target, DisturbedBetween);
                    _timeline.Add(new TargetEvidence { At = Now, Step = _step, Target = _target.Description, Rows = target.RowCount, Checksum = ValueHash.Format(target.Checksum) });
                },
                cancellationToken).ConfigureAwait(false);
            if (_usedProxy && _sinkTarget?.Proxy is { } proxy)
            {
                _timeline.Add(new ProxyCountersEvidence { At = Now, Step = _step, Behaviour = proxy.Behaviour.ToString(), Counters = proxy.GetCounters() });
            }

            await Task.Delay(_options.SampleInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SampleOneAsync(string observation, Func<CancellationToken, Task> observe, CancellationToken cancellationToken)
    {
        try
        {
            await observe(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A worker being killed or a rebalance makes reads fail for a moment; sampling carries on, and plots show the gap.
            _timeline.Add(new SampleGapEvidence { At = Now, Step = _step, Observation = observation, Error = SecretRedactor.RedactText(ex.Message) });
        }
    }
}
