using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Benchmarks;

/// <summary>Chooses which records the simulated sink lost, duplicated, did not reach yet, and which phantom rows it wrote.</summary>
internal sealed class DefectPlan
{
    private readonly List<LedgerEntry> _ledger;
    private readonly HashSet<int> _dropped = [];
    private readonly HashSet<int> _duplicated = [];
    private readonly HashSet<int> _unseen = [];

    public DefectPlan(List<LedgerEntry> ledger, int dropped, int duplicated, int unknown, int unseen)
    {
        _ledger = ledger;
        UnknownCount = unknown;
        var random = new Random(42);

        // The last `unseen` records of partition 0 are neither written nor committed.
        var partitionZero = Enumerable.Range(0, ledger.Count).Where(i => ledger[i].Partition == 0).ToList();
        foreach (var i in partitionZero.TakeLast(unseen))
        {
            _unseen.Add(i);
        }

        while (_dropped.Count < dropped)
        {
            var i = random.Next(ledger.Count);
            if (!_unseen.Contains(i))
            {
                _dropped.Add(i);
            }
        }

        while (_duplicated.Count < duplicated)
        {
            var i = random.Next(ledger.Count);
            if (!_unseen.Contains(i) && !_dropped.Contains(i))
            {
                _duplicated.Add(i);
            }
        }

        CommittedOffsets = ledger.GroupBy(e => e.SourcePartition).ToDictionary(
            g => g.Key,
            g => g.Key.Partition == 0 ? ledger[partitionZero[^unseen]].Offset : g.Max(e => e.Offset) + 1);
    }

    public Dictionary<SourcePartition, long> CommittedOffsets { get; }

    public int DroppedCount => _dropped.Count;

    public int DuplicatedCount => _duplicated.Count;

    public int UnseenCount => _unseen.Count;

    public int UnknownCount { get; }

    public IEnumerable<TargetRow> TargetRows()
    {
        for (var i = 0; i < _ledger.Count; i++)
        {
            if (_dropped.Contains(i) || _unseen.Contains(i))
            {
                continue;
            }

            var entry = _ledger[i];
            var row = new TargetRow(entry.EventId, entry.Key, entry.Version, entry.ValueHash);
            yield return row;
            if (_duplicated.Contains(i))
            {
                yield return row;
            }
        }

        for (var i = 0; i < UnknownCount; i++)
        {
            yield return new TargetRow($"phantom-{i}", "customer-x", 1, 7);
        }
    }
}
