using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Reconciliation;

/// <summary>Holds the hash indexes of one reconciliation and consumes target rows one at a time.</summary>
/// <remarks>
/// Memory is linear in the ledger (an index from event id to ledger position, a row counter per record, and under upsert
/// one slot per key); target rows are never stored, so the target can be far larger than memory.
/// </remarks>
internal sealed partial class ReconciliationEngine
{
    private const int NoSlot = -1;

    private readonly IReadOnlyList<LedgerEntry> _ledger;
    private readonly ReconciliationInput _input;
    private readonly int _maxExamples;
    private readonly bool _keyed;
    private readonly Dictionary<string, int> _eventIndex;
    private readonly int[] _copies;
    private readonly int[] _partitionOf;
    private readonly List<PartitionState> _partitions = [];
    private readonly int[] _keySlotOf;
    private readonly KeySlot[] _keySlots;
    private readonly AnomalyState[] _anomalies;
    private long _rows;
    private ulong _rowChecksum;

    public ReconciliationEngine(ReconciliationInput input, ReconcilerOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(input.Ledger);
        options.Validate();
        _input = input;
        _ledger = input.Ledger;
        _maxExamples = options.MaxExamplesPerAnomaly;
        _keyed = input.Semantics == DeclaredSemantics.UpsertByKey;
        _anomalies = [.. Enum.GetValues<AnomalyKind>().Select(_ => new AnomalyState())];

        var count = _ledger.Count;
        _eventIndex = new Dictionary<string, int>(count, StringComparer.Ordinal);
        _copies = new int[count];
        _partitionOf = new int[count];
        _keySlotOf = _keyed ? new int[count] : [];
        var partitionIndex = new Dictionary<SourcePartition, int>();
        var keyIndex = _keyed ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
        var keyCount = 0;
        var lastTopic = (string?)null;
        var lastPartition = -1;
        var lastSlot = -1;
        for (var i = 0; i < count; i++)
        {
            var entry = _ledger[i] ?? throw new ArgumentException($"Ledger entry {i} is null.", nameof(input));
            if (!_eventIndex.TryAdd(entry.EventId, i))
            {
                throw new ArgumentException(
                    $"The ledger holds event id '{entry.EventId}' twice (at {_ledger[_eventIndex[entry.EventId]].Position} and {entry.Position}); every produced record needs its own event id.",
                    nameof(input));
            }

            // Ledgers list records partition by partition in long runs, so the last partition is checked before the dictionary.
            if (lastPartition != entry.Partition || !ReferenceEquals(lastTopic, entry.Topic))
            {
                lastSlot = PartitionSlot(partitionIndex, entry.SourcePartition);
                lastTopic = entry.Topic;
                lastPartition = entry.Partition;
            }

            _partitionOf[i] = lastSlot;
            var partition = _partitions[lastSlot];
            partition.Produced++;

            if (keyIndex is not null)
            {
                if (entry.Key is null)
                {
                    _keySlotOf[i] = NoSlot;
                }
                else
                {
                    if (!keyIndex.TryGetValue(entry.Key, out var slot))
                    {
                        slot = keyCount++;
                        keyIndex.Add(entry.Key, slot);
                    }

                    _keySlotOf[i] = slot;
                }
            }
        }

        _keySlots = new KeySlot[keyCount];
        _keySlots.AsSpan().Fill(new KeySlot { Winner = NoSlot, NewestHidden = NoSlot });
        foreach (var (sourcePartition, committed) in input.CommittedOffsets)
        {
            _partitions[PartitionSlot(partitionIndex, sourcePartition)].CommittedOffset = committed;
        }
    }

    /// <summary>Consumes one target row.</summary>
    public void Add(in TargetRow row)
    {
        _rows++;
        _rowChecksum = unchecked(_rowChecksum + TargetChecksum.HashRow(row));
        if (row.EventId is null)
        {
            Unexpected(row, "row has no event id");
            return;
        }

        if (!_eventIndex.TryGetValue(row.EventId, out var i))
        {
            Unexpected(row, "event id was never produced");
            return;
        }

        var entry = _ledger[i];
        if (row.ValueHash is { } hash && hash != entry.ValueHash)
        {
            Unexpected(row, $"content differs from the produced record at {entry.Position}");
            return;
        }

        if (row.Key is not null && entry.Key is not null && !string.Equals(row.Key, entry.Key, StringComparison.Ordinal))
        {
            Unexpected(row, $"key differs from the produced record's key '{entry.Key}'");
            return;
        }

        if (row.Version is { } version && entry.Version is { } produced && version != produced)
        {
            Unexpected(row, $"version {version} differs from the produced version {produced}");
            return;
        }

        _copies[i]++;
        if (_keyed && _keySlotOf[i] is var slotIndex and not NoSlot)
        {
            ref var slot = ref _keySlots[slotIndex];
            slot.Rows++;
            var recency = entry.Version ?? long.MinValue;
            if (slot.Winner == NoSlot || recency > slot.WinnerVersion || (recency == slot.WinnerVersion && entry.Offset > slot.WinnerOffset))
            {
                slot.Winner = i;
                slot.WinnerVersion = recency;
                slot.WinnerOffset = entry.Offset;
            }
        }
    }

    private static bool IsNewer(LedgerEntry candidate, LedgerEntry current)
    {
        var candidateVersion = candidate.Version ?? long.MinValue;
        var currentVersion = current.Version ?? long.MinValue;
        return candidateVersion != currentVersion ? candidateVersion > currentVersion : candidate.Offset > current.Offset;
    }

    private int PartitionSlot(Dictionary<SourcePartition, int> index, SourcePartition partition)
    {
        if (!index.TryGetValue(partition, out var slot))
        {
            slot = _partitions.Count;
            index.Add(partition, slot);
            _partitions.Add(new PartitionState(partition));
        }

        return slot;
    }

    private void Unexpected(in TargetRow row, string detail)
    {
        var state = _anomalies[(int)AnomalyKind.Unexpected];
        state.Count++;
        if (state.Examples.Count < _maxExamples)
        {
            state.Examples.Add(new AnomalyExample(row.Source?.Topic, row.Source?.Partition, row.Source?.Offset, row.Key, row.EventId, detail));
        }
    }

    private sealed class PartitionState(SourcePartition partition)
    {
        public SourcePartition Partition { get; } = partition;

        public long Produced { get; set; }

        public long? CommittedOffset { get; set; }

        public long CommittedPast { get; set; }

        public long InTarget { get; set; }

        public long Superseded { get; set; }

        public ulong CommittedChecksum { get; set; }

        public ulong CommittedInTargetChecksum { get; set; }

        public long[] AnomalyCounts { get; } = new long[Enum.GetValues<AnomalyKind>().Length];
    }

    /// <summary>Tracks the rows of one key; the winner's version and offset are cached to keep row consumption to one ledger lookup.</summary>
    private struct KeySlot
    {
        public int Rows;
        public int Winner;
        public long WinnerVersion;
        public long WinnerOffset;
        public int NewestHidden;
    }

    private sealed class AnomalyState
    {
        public long Count { get; set; }

        public long ExtraRows { get; set; }

        public List<AnomalyExample> Examples { get; } = [];
    }
}
