using System.Globalization;
using SinkIdempotency.Evidence;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Scenarios;

/// <content>Prepares each poison record: lets the sink drain the records before it, and constrains the target for poison that must fail there.</content>
internal sealed partial class ScenarioRun
{
    /// <summary>How long the sink gets to write or commit the records produced before a poison record.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long the target must stay unchanged, once the producer paused at a poison record, to count as drained.</summary>
    private static readonly TimeSpan DrainStableFor = TimeSpan.FromMilliseconds(500);

    private int _drainedUpTo;
    private bool _targetConstrained;
    private string? _poisonProblem;

    // Called by the producer once every record before the poison is acknowledged. Pausing here puts the poison at the
    // start of the sink's next batch, so a sink that stops on it has written and committed exactly what came before it:
    // the committed offset then proves the stop (see TaskFailureAttribution).
    private async Task BeforePoisonAsync(PoisonRecord poison, CancellationToken cancellationToken)
    {
        // Consecutive poison records share one drain: nothing good was produced between them.
        var produced = _ledger.Snapshot().Count(e => !e.Poison);
        if (produced > _drainedUpTo)
        {
            await DrainAsync(poison, cancellationToken).ConfigureAwait(false);
            _drainedUpTo = produced;
        }

        if (poison.FailsAtTarget && !_targetConstrained)
        {
            _targetConstrained = true;
            await ConstrainTargetAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(PoisonRecord poison, CancellationToken cancellationToken)
    {
        var ledger = _ledger.Snapshot();
        var ends = ledger.GroupBy(e => e.SourcePartition).ToDictionary(g => g.Key, g => g.Max(e => e.Offset) + 1);
        var started = Now;
        var stableSince = Now;
        (long Rows, ulong Checksum)? last = null;
        var how = "did not drain";
        while (Now - started < DrainTimeout)
        {
            var committed = await _environment.GetCommittedOffsetsAsync(_names.GroupId, _names.Topic, cancellationToken).ConfigureAwait(false);
            if (ends.All(p => committed.TryGetValue(p.Key, out var c) && c >= p.Value))
            {
                how = "committed every record before it";
                break;
            }

            var target = await _target.SummarizeAsync(cancellationToken).ConfigureAwait(false);
            if (last != (target.RowCount, target.Checksum))
            {
                last = (target.RowCount, target.Checksum);
                stableSince = Now;
            }
            else if (target.RowCount > 0 && Now - stableSince >= DrainStableFor)
            {
                how = "stopped writing";
                break;
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        Mark(string.Create(
            CultureInfo.InvariantCulture,
            $"before poison record {poison.Index} ({poison.Kind}): the sink {how} ({ledger.Count} record(s) produced, {(Now - started).TotalSeconds:0.0} s)"));
    }

    private async Task ConstrainTargetAsync(CancellationToken cancellationToken)
    {
        var kinds = (_scenario.Fault?.PoisonRecords(_scenario.Workload) ?? []).Where(p => p.FailsAtTarget).Select(p => p.Kind).Distinct().ToList();
        try
        {
            var statement = await SinkTarget.ConstrainForPoisonAsync(SinkTarget.Schema, _names.Table, kinds, _scenario.Workload, cancellationToken).ConfigureAwait(false);
            _timeline.Add(new FaultActionEvidence
            {
                At = Now,
                Step = _step,
                Fault = FaultName,
                Action = "constrain-target",
                Detail = $"{statement}, so the poison records that convert fail at the target.",
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var rows = await _target.SummarizeAsync(cancellationToken).ConfigureAwait(false);
            _poisonProblem = rows.RowCount == 0
                ? $"The sink wrote none of the records before the first poison record, so the run's table could not be constrained for poison that must fail at the target ({ex.Message})."
                : $"Could not constrain the run's table {SinkTarget.Schema}.{_names.Table} for poison that must fail at the target ({string.Join(", ", kinds)}): {ex.Message} The table must have columns named payload and seq, as the record's fields are.";
            Mark(_poisonProblem);
        }
    }
}
