using SinkIdempotency.Workload;

namespace SinkIdempotency.Benchmarks;

/// <summary>Makes a realistic ledger: run-scoped event ids, 100k business keys with rising versions, records spread over partitions.</summary>
internal static class Workload
{
    public static List<LedgerEntry> CreateLedger(int records, int partitions)
    {
        var ledger = new List<LedgerEntry>(records);
        var offsets = new long[partitions];
        var versions = new long[100_000];
        var topics = "bench-orders";
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < records; i++)
        {
            var keyNumber = (int)((uint)(i * 2654435761u) % 100_000);
            var partition = keyNumber % partitions;
            var eventId = $"run7f3a-{i:D9}";
            var key = $"customer-{keyNumber:D6}";
            ledger.Add(new LedgerEntry(eventId, topics, partition, offsets[partition]++, key, ++versions[keyNumber], ValueHash.Compute(eventId + "|payload"), time.AddTicks(i)));
        }

        return ledger;
    }
}
