using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets;

/// <summary>Measures how far the target is ahead of the sink's committed offsets, the condition a crash-after-write fault waits for.</summary>
public static class TargetProgress
{
    /// <summary>Counts the target rows whose source offset is at or beyond the committed offset of their partition.</summary>
    /// <param name="reader">The target.</param>
    /// <param name="committedOffsets">The committed offsets (next offset to read) per partition; a missing partition counts as nothing committed.</param>
    /// <param name="ledger">The produced records, used to find the source position of rows that do not store it; <see langword="null"/> when every row stores it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The number of rows written but not yet covered by a commit: if the worker dies now, Connect redelivers their records.
    /// Rows whose position is unknown (no stored position and an event id not in the ledger) are not counted.
    /// </returns>
    public static async Task<long> CountRowsAheadOfCommitAsync(
        this ITargetReader reader,
        IReadOnlyDictionary<SourcePartition, long> committedOffsets,
        IReadOnlyList<LedgerEntry>? ledger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(committedOffsets);
        Dictionary<string, SourcePosition>? positions = null;
        if (ledger is not null)
        {
            positions = new Dictionary<string, SourcePosition>(ledger.Count, StringComparer.Ordinal);
            foreach (var entry in ledger)
            {
                positions.TryAdd(entry.EventId, entry.Position);
            }
        }

        long ahead = 0;
        await foreach (var row in reader.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            SourcePosition position;
            if (row.Source is { } stored)
            {
                position = stored;
            }
            else if (row.EventId is not null && positions is not null && positions.TryGetValue(row.EventId, out var produced))
            {
                position = produced;
            }
            else
            {
                continue;
            }

            if (position.Offset >= committedOffsets.GetValueOrDefault(position.SourcePartition, 0))
            {
                ahead++;
            }
        }

        return ahead;
    }
}
