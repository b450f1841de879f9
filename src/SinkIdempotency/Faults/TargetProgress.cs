using SinkIdempotency.Workload;

namespace SinkIdempotency.Faults;

/// <summary>Holds what the target held at one read: the source offsets of its rows per partition, located by the rows' own Kafka coordinates or through the ledger.</summary>
internal sealed class TargetProgress
{
    public TargetProgress(long rows, long located, IReadOnlyDictionary<SourcePartition, List<long>> offsets)
    {
        Rows = rows;
        Located = located;
        Offsets = offsets;
    }

    /// <summary>Gets the number of rows read.</summary>
    public long Rows { get; }

    /// <summary>Gets the number of rows whose source position is known.</summary>
    public long Located { get; }

    /// <summary>Gets the source offsets of the located rows per partition.</summary>
    public IReadOnlyDictionary<SourcePartition, List<long>> Offsets { get; }

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

    /// <summary>Returns the progress on the partitions <paramref name="keep"/> accepts.</summary>
    public TargetProgress Only(Func<SourcePartition, bool> keep)
    {
        var offsets = Offsets.Where(p => keep(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        return new TargetProgress(Rows, Located, offsets);
    }

    /// <summary>Gets the highest located source offset of a partition.</summary>
    public long? Highest(SourcePartition partition) =>
        Offsets.TryGetValue(partition, out var offsets) && offsets.Count > 0 ? offsets.Max() : null;
}
