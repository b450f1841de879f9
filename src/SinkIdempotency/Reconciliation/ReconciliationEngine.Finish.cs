using System.Globalization;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Reconciliation;

/// <content>Classifies every produced record once all rows are consumed, and builds the report.</content>
internal sealed partial class ReconciliationEngine
{
    /// <summary>Classifies the ledger against the consumed rows and builds the report.</summary>
    public ReconciliationReport Finish(string targetDescription, DateTimeOffset generatedAt)
    {
        var deadLetters = _input.DeadLetters.Count == 0 ? null : _input.DeadLetters.Select(d => d.Source).ToHashSet();
        var matchedDeadLetters = deadLetters is null ? null : new HashSet<SourcePosition>();
        for (var i = 0; i < _ledger.Count; i++)
        {
            var entry = _ledger[i];
            var partition = _partitions[_partitionOf[i]];
            var committedPast = partition.CommittedOffset is { } committed && entry.Offset < committed;
            var eventHash = committedPast ? TargetChecksum.HashEvent(entry.EventId, entry.ValueHash) : 0;
            if (committedPast)
            {
                partition.CommittedPast++;
                partition.CommittedChecksum = unchecked(partition.CommittedChecksum + eventHash);
            }

            var deadLettered = deadLetters is not null && deadLetters.Contains(entry.Position);
            if (deadLettered)
            {
                matchedDeadLetters!.Add(entry.Position);
            }

            var copies = _copies[i];
            var slotIndex = _keyed ? _keySlotOf[i] : NoSlot;
            if (copies > 0)
            {
                partition.InTarget++;
                if (committedPast)
                {
                    partition.CommittedInTargetChecksum = unchecked(partition.CommittedInTargetChecksum + eventHash);
                }

                if (copies > 1 && slotIndex == NoSlot)
                {
                    Record(AnomalyKind.Duplicated, partition, entry, string.Create(CultureInfo.InvariantCulture, $"{copies} rows"), copies - 1);
                }

                continue;
            }

            if (deadLettered && (entry.Poison || !_input.PoisonMarked))
            {
                Record(AnomalyKind.DeadLettered, partition, entry, "in the dead-letter topic");
            }
            else if (slotIndex != NoSlot && _keySlots[slotIndex].Winner != NoSlot && IsNewer(_ledger[_keySlots[slotIndex].Winner], entry))
            {
                partition.Superseded++;
            }
            else if (slotIndex != NoSlot && _keySlots[slotIndex].Winner != NoSlot && committedPast && !entry.Poison)
            {
                // An older version of the key won; the key is reported once as stale, naming its newest hidden record.
                ref var slot = ref _keySlots[slotIndex];
                partition.AnomalyCounts[(int)AnomalyKind.Stale]++;
                if (slot.NewestHidden == NoSlot || IsNewer(entry, _ledger[slot.NewestHidden]))
                {
                    slot.NewestHidden = i;
                }
            }
            else if (deadLettered)
            {
                Record(AnomalyKind.Lost, partition, entry, "absent; dead-lettered although it was produced well-formed");
            }
            else if (committedPast && !_input.TargetSettled)
            {
                // Lost needs a settled target: while it still changes, a committed record may be on its way.
                Record(AnomalyKind.Unseen, partition, entry, string.Create(CultureInfo.InvariantCulture, $"absent; committed offset {partition.CommittedOffset} is past it, but the target had not settled"));
            }
            else if (committedPast)
            {
                Record(
                    entry.Poison ? AnomalyKind.SilentlyDropped : AnomalyKind.Lost,
                    partition,
                    entry,
                    string.Create(CultureInfo.InvariantCulture, $"absent; committed offset {partition.CommittedOffset}"));
            }
            else
            {
                Record(
                    AnomalyKind.Unseen,
                    partition,
                    entry,
                    partition.CommittedOffset is { } offset
                        ? string.Create(CultureInfo.InvariantCulture, $"absent; committed offset {offset} not past it")
                        : "absent; nothing committed for the partition");
            }
        }

        if (_keyed)
        {
            foreach (var slot in _keySlots)
            {
                if (slot.Rows > 1)
                {
                    var winner = _ledger[slot.Winner];
                    Record(
                        AnomalyKind.Duplicated,
                        _partitions[_partitionOf[slot.Winner]],
                        winner,
                        string.Create(CultureInfo.InvariantCulture, $"{slot.Rows} rows for the key"),
                        slot.Rows - 1);
                }

                if (slot.NewestHidden != NoSlot)
                {
                    var winner = _ledger[slot.Winner];
                    var hidden = _ledger[slot.NewestHidden];
                    var state = _anomalies[(int)AnomalyKind.Stale];
                    state.Count++;
                    if (state.Examples.Count < _maxExamples)
                    {
                        state.Examples.Add(new AnomalyExample(
                            hidden.Topic,
                            hidden.Partition,
                            hidden.Offset,
                            hidden.Key,
                            hidden.EventId,
                            string.Create(
                                CultureInfo.InvariantCulture,
                                $"target holds version {FormatVersion(winner.Version)} (event {winner.EventId}); newest committed version {FormatVersion(hidden.Version)}")));
                    }
                }
            }
        }

        var counts = _anomalies.Select((state, kind) => new KeyValuePair<AnomalyKind, long>((AnomalyKind)kind, state.Count)).ToList();
        var semantics = _input.Semantics;
        return new ReconciliationReport
        {
            Semantics = semantics,
            Verdict = VerdictPolicy.Grade(semantics, counts),
            GeneratedAt = generatedAt,
            Target = targetDescription,
            Produced = _ledger.Count,
            TargetRows = _rows,
            TargetChecksum = _rowChecksum,
            InTarget = _partitions.Sum(p => p.InTarget),
            Superseded = _partitions.Sum(p => p.Superseded),
            DeadLetterRecords = _input.DeadLetters.Count,
            UnmatchedDeadLetters = deadLetters is null ? 0 : _input.DeadLetters.LongCount(d => !matchedDeadLetters!.Contains(d.Source)),
            Anomalies = [.. _anomalies.Select((state, kind) => new AnomalySummary(
                (AnomalyKind)kind,
                state.Count,
                state.ExtraRows,
                VerdictPolicy.IsAllowed(semantics, (AnomalyKind)kind),
                state.Examples.ToArray()))],
            Partitions = [.. _partitions
                .OrderBy(p => p.Partition.Topic, StringComparer.Ordinal)
                .ThenBy(p => p.Partition.Partition)
                .Select(p => new PartitionFigures(
                    p.Partition.Topic,
                    p.Partition.Partition,
                    p.Produced,
                    p.CommittedOffset,
                    p.CommittedPast,
                    p.InTarget,
                    p.Superseded,
                    p.CommittedChecksum,
                    p.CommittedInTargetChecksum,
                    p.AnomalyCounts
                        .Select((count, kind) => (Kind: (AnomalyKind)kind, Count: count))
                        .Where(c => c.Count > 0)
                        .ToDictionary(c => c.Kind, c => c.Count)))],
        };
    }

    private static string FormatVersion(long? version) =>
        version?.ToString(CultureInfo.InvariantCulture) ?? "(none)";

    private void Record(AnomalyKind kind, PartitionState partition, LedgerEntry entry, string detail, long extraRows = 0)
    {
        partition.AnomalyCounts[(int)kind]++;
        var state = _anomalies[(int)kind];
        state.Count++;
        state.ExtraRows += extraRows;
        if (state.Examples.Count < _maxExamples)
        {
            state.Examples.Add(new AnomalyExample(entry.Topic, entry.Partition, entry.Offset, entry.Key, entry.EventId, detail));
        }
    }
}
