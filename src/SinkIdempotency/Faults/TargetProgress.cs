using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Holds what the target held at one read: the source offsets of its rows per partition, located by the rows' own Kafka coordinates or through the ledger.</summary>
internal sealed class TargetProgress
{
    public TargetProgress(long rows, long located, IReadOnlyDictionary<SourcePartition, List<long>> offsets, IReadOnlyDictionary<string, LedgerEntry>? newestByKey = null)
    {
        Rows = rows;
        Located = located;
        Offsets = offsets;
        NewestByKey = newestByKey ?? new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
    }

    /// <summary>Gets the number of rows read.</summary>
    public long Rows { get; }

    /// <summary>Gets the number of rows whose source position is known.</summary>
    public long Located { get; }

    /// <summary>Gets the source offsets of the located rows per partition.</summary>
    public IReadOnlyDictionary<SourcePartition, List<long>> Offsets { get; }

    /// <summary>Gets, per business key, the newest produced record the target holds a row of.</summary>
    public IReadOnlyDictionary<string, LedgerEntry> NewestByKey { get; }

    /// <summary>Tells whether <paramref name="candidate"/> is a newer record of its key than <paramref name="current"/>: a higher version, or the same version at a higher offset.</summary>
    public static bool IsNewer(LedgerEntry candidate, LedgerEntry current)
    {
        var candidateVersion = candidate.Version ?? long.MinValue;
        var currentVersion = current.Version ?? long.MinValue;
        return candidateVersion != currentVersion ? candidateVersion > currentVersion : candidate.Offset > current.Offset;
    }

    /// <summary>Counts the rows at or past the committed offset of their partition (all rows of a partition with no commit).</summary>
    public long RowsAhead(IReadOnlyDictionary<SourcePartition, long> committed) =>
        Offsets.Sum(p => RowsAhead(p.Key, committed));

    /// <summary>Counts the rows of one partition at or past its committed offset.</summary>
    public long RowsAhead(SourcePartition partition, IReadOnlyDictionary<SourcePartition, long> committed)
    {
        if (!Offsets.TryGetValue(partition, out var offsets))
        {
            return 0;
        }

        return committed.TryGetValue(partition, out var c) ? offsets.LongCount(o => o >= c) : offsets.Count;
    }

    /// <summary>Counts, per partition, the ordinary records below the committed offset that the target holds no row of: committed, not written.</summary>
    /// <param name="committed">The committed offset per partition; a partition without a commit has nothing behind.</param>
    /// <param name="ledger">The produced records to check.</param>
    /// <param name="keyed">Whether a newer record of the same key stands in for an absent one (upsert by key).</param>
    /// <returns>The count per partition, only partitions with records behind.</returns>
    public Dictionary<SourcePartition, long> RecordsBehind(IReadOnlyDictionary<SourcePartition, long> committed, IEnumerable<LedgerEntry> ledger, bool keyed)
    {
        var present = Offsets.ToDictionary(p => p.Key, p => p.Value.ToHashSet());
        var behind = new Dictionary<SourcePartition, long>();
        foreach (var entry in ledger)
        {
            if (entry.Poison || !committed.TryGetValue(entry.SourcePartition, out var offset) || entry.Offset >= offset)
            {
                continue;
            }

            if (present.TryGetValue(entry.SourcePartition, out var offsets) && offsets.Contains(entry.Offset))
            {
                continue;
            }

            if (keyed && entry.Key is { } key && NewestByKey.TryGetValue(key, out var newest) && !IsNewer(entry, newest))
            {
                continue;
            }

            behind[entry.SourcePartition] = behind.GetValueOrDefault(entry.SourcePartition) + 1;
        }

        return behind;
    }

    /// <summary>Returns the progress on the partitions <paramref name="keep"/> accepts.</summary>
    public TargetProgress Only(Func<SourcePartition, bool> keep)
    {
        var offsets = Offsets.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        return new TargetProgress(Rows, Located, offsets, NewestByKey);
    }

    /// <summary>Gets the highest located source offset of a partition.</summary>
    public long? Highest(SourcePartition partition) =>
        Offsets.TryGetValue(partition, out var offsets) && offsets.Count > 0 ? offsets.Max() : null;
}
