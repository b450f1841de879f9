using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Reconciliation;

/// <summary>Builds ledgers and target rows for reconciliation tests.</summary>
internal static class Records
{
    public const string Topic = "orders";

    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LedgerEntry Entry(int partition, long offset, string? key = null, long? version = null, bool poison = false, string? eventId = null)
    {
        var id = eventId ?? $"e-{partition}-{offset}";
        return new LedgerEntry(id, Topic, partition, offset, key, version, ValueHash.Compute("payload:" + id), Epoch.AddMilliseconds(offset))
        {
            Poison = poison,
        };
    }

    /// <summary>Makes a ledger of <paramref name="count"/> unkeyed records in one partition, offsets 0..count-1.</summary>
    public static List<LedgerEntry> Sequence(int count, int partition = 0) =>
        [.. Enumerable.Range(0, count).Select(offset => Entry(partition, offset))];

    public static TargetRow Row(LedgerEntry entry) =>
        new(entry.EventId, entry.Key, entry.Version, entry.ValueHash, entry.Position);

    public static Dictionary<SourcePartition, long> Committed(params (int Partition, long Offset)[] offsets) =>
        offsets.ToDictionary(o => new SourcePartition(Topic, o.Partition), o => o.Offset);
}
