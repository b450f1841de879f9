using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Waits until the pipeline settled: the group committed up to the end offsets and the target stayed stable.</content>
internal sealed partial class ScenarioRun
{
    private async Task<ScenarioOutcome> SettleAsync(string step, CancellationToken cancellationToken)
    {
        _step = step;
        Mark("started");
        var deadline = Now + _scenario.SettleTimeout;
        (TargetSummary Target, long Committed)? last = null;
        var stableSince = Now;
        IReadOnlyDictionary<SourcePartition, long> end = new Dictionary<SourcePartition, long>();
        IReadOnlyDictionary<SourcePartition, long> committed = new Dictionary<SourcePartition, long>();
        ConnectorSnapshot? connector = null;
        while (true)
        {
            end = await _environment.GetEndOffsetsAsync(_names.Topic, cancellationToken).ConfigureAwait(false);
            committed = await _environment.GetCommittedOffsetsAsync(_names.GroupId, _names.Topic, cancellationToken).ConfigureAwait(false);
            var target = await _target.SummarizeAsync(cancellationToken).ConfigureAwait(false);
            connector = await _environment.GetConnectorAsync(_names.Connector, cancellationToken).ConfigureAwait(false);
            var fingerprint = (target, committed.Values.Sum());
            if (last != fingerprint)
            {
                last = fingerprint;
                stableSince = Now;
            }

            var stable = Now - stableSince >= _scenario.StableFor;
            var caughtUp = end.All(p => p.Value == 0 || (committed.TryGetValue(p.Key, out var c) && c >= p.Value));
            if (stable && caughtUp)
            {
                await ObserveOffsetsAsync("settled", cancellationToken).ConfigureAwait(false);
                Mark(string.Create(CultureInfo.InvariantCulture, $"settled: committed up to the end offsets, target stable at {target.RowCount} row(s)"));
                return ScenarioOutcome.Settled;
            }

            if (stable && connector.HasFailed)
            {
                await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
                await ObserveOffsetsAsync("stopped", cancellationToken).ConfigureAwait(false);
                var failed = connector.Tasks.Where(t => t.State == "FAILED").Select(t => $"task {t.Task}: {FirstLine(t.Trace ?? "no trace")}");
                Mark("stopped by a failed task: " + string.Join("; ", failed));
                return ScenarioOutcome.StoppedByFailedTask;
            }

            if (Now >= deadline)
            {
                await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
                await ObserveOffsetsAsync("not-settled", cancellationToken).ConfigureAwait(false);
                var lag = end
                    .Where(p => !committed.TryGetValue(p.Key, out var c) || c < p.Value)
                    .OrderBy(p => p.Key.Partition)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} committed {(committed.TryGetValue(p.Key, out var c) ? c.ToString(CultureInfo.InvariantCulture) : "nothing")} of {p.Value}"));
                var reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"No convergence within {_scenario.SettleTimeout.TotalSeconds:0.#} s: {(caughtUp ? "the target kept changing" : string.Join(", ", lag))}; connector {connector.State}, tasks {string.Join(", ", connector.Tasks.Select(t => $"{t.Task}:{t.State}"))}.");
                _reasons.Add(reason);
                Mark(reason);
                return ScenarioOutcome.NoConvergence;
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
