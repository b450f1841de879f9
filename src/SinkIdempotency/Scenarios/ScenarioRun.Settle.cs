using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <content>Waits until the pipeline settled: the group committed up to the end offsets and the target stayed stable for long enough.</content>
/// <remarks>
/// Long enough is the scenario's <see cref="Scenario.StableFor"/>, or twice the longest gap the sink left between two
/// target changes during the run (<see cref="TargetRhythm"/>) when that is longer, so a sink that writes behind is not
/// graded between two of its flushes. If the settle deadline comes first, the run still counts as settled when it caught
/// up and the target stayed unchanged for at least one whole such gap; otherwise it did not converge, and records the
/// group committed past but the target does not hold are reported as unseen rather than lost, since the target was still
/// moving.
/// </remarks>
internal sealed partial class ScenarioRun
{
    private readonly TargetRhythm _rhythm = new();
    private bool _targetSettled = true;

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
            _rhythm.Observe(Now, target, DisturbedBetween);
            connector = await _environment.GetConnectorAsync(_names.Connector, cancellationToken).ConfigureAwait(false);
            var fingerprint = (target, committed.Values.Sum());
            if (last != fingerprint)
            {
                last = fingerprint;
                stableSince = Now;
            }

            var required = _rhythm.Required(_scenario.StableFor);
            var quiet = Now - stableSince;
            var stable = quiet >= required;
            var caughtUp = end.All(p => p.Value == 0 || (committed.TryGetValue(p.Key, out var c) && c >= p.Value));
            var oneGap = quiet >= _scenario.StableFor && quiet >= _rhythm.LongestGap;
            if (caughtUp && (stable || (Now >= deadline && oneGap)))
            {
                await ObserveOffsetsAsync("settled", cancellationToken).ConfigureAwait(false);
                Mark(string.Create(CultureInfo.InvariantCulture, $"settled: committed up to the end offsets, target stable at {target.RowCount} row(s) for {quiet.TotalSeconds:0.0#} s ({Quiet(required, stable)})"));
                _targetSettled = true;
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
                _targetSettled = stable;
                await ObserveConnectorAsync(cancellationToken).ConfigureAwait(false);
                await ObserveOffsetsAsync("not-settled", cancellationToken).ConfigureAwait(false);
                var lag = end
                    .Where(p => !committed.TryGetValue(p.Key, out var c) || c < p.Value)
                    .OrderBy(p => p.Key.Partition)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} committed {(committed.TryGetValue(p.Key, out var c) ? c.ToString(CultureInfo.InvariantCulture) : "nothing")} of {p.Value}"));
                var reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"No convergence within {_scenario.SettleTimeout.TotalSeconds:0.#} s: {(caughtUp ? $"the target kept changing (it must stay unchanged for {required.TotalSeconds:0.0#} s, {Quiet(required, stable)})" : string.Join(", ", lag))}; connector {connector.State}, tasks {string.Join(", ", connector.Tasks.Select(t => $"{t.Task}:{t.State}"))}.");
                _reasons.Add(reason);
                Mark(reason);
                return ScenarioOutcome.NoConvergence;
            }

            await Task.Delay(_options.SettlePollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // A gap the fault acted in (a kill, a restart, a freeze, a withheld reply) is not the sink's own rhythm.
    private bool DisturbedBetween(DateTimeOffset from, DateTimeOffset to) =>
        _timeline.Snapshot().Any(e => e.At > from && e.At <= to
            && (e is FaultActionEvidence || (e is ProxyCountersEvidence p && p.Step.StartsWith("fault", StringComparison.Ordinal))));

    private string Quiet(TimeSpan required, bool stable) =>
        required > _scenario.StableFor
            ? string.Create(CultureInfo.InvariantCulture, $"twice the sink's longest gap of {_rhythm.LongestGap.TotalSeconds:0.0#} s between target changes{(stable ? string.Empty : ", cut short by the settle deadline after at least one whole gap")}")
            : string.Create(CultureInfo.InvariantCulture, $"the scenario's quiet period; the sink's longest gap between target changes was {_rhythm.LongestGap.TotalSeconds:0.0#} s");
}
