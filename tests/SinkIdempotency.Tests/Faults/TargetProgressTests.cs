using SinkIdempotency.Faults;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Faults;

public sealed class TargetProgressTests
{
    private static readonly SourcePartition P0 = new("t", 0);
    private static readonly SourcePartition P1 = new("t", 1);

    [Fact]
    public void RowsAhead_CountsRowsAtOrPastTheCommittedOffset()
    {
        var progress = new TargetProgress(6, 6, new Dictionary<SourcePartition, List<long>> { [P0] = [0, 1, 2, 3], [P1] = [0, 1] });

        progress.RowsAhead(new Dictionary<SourcePartition, long> { [P0] = 2, [P1] = 2 }).Should().Be(2, "offsets 2 and 3 of p0 are at or past committed offset 2; p1 is fully committed");
    }

    [Fact]
    public void RowsAhead_PartitionWithoutCommit_CountsEveryRow()
    {
        var progress = new TargetProgress(3, 3, new Dictionary<SourcePartition, List<long>> { [P0] = [0, 1, 2] });

        progress.RowsAhead(new Dictionary<SourcePartition, long>()).Should().Be(3);
        progress.Highest(P0).Should().Be(2);
        progress.Highest(P1).Should().BeNull();
    }

    [Fact]
    public void RecordsBehind_CountsOrdinaryRecordsBelowTheCommitThatTheTargetLacks()
    {
        var progress = new TargetProgress(3, 3, new Dictionary<SourcePartition, List<long>> { [P0] = [0, 2], [P1] = [0] });
        LedgerEntry[] ledger =
        [
            Entry(P0, 0), Entry(P0, 1), Entry(P0, 2), Entry(P0, 3) with { Poison = true }, Entry(P0, 4),
            Entry(P1, 0), Entry(P1, 1),
        ];

        var behind = progress.RecordsBehind(new Dictionary<SourcePartition, long> { [P0] = 4, [P1] = 2 }, ledger, keyed: false);

        behind.Should().Equal(new Dictionary<SourcePartition, long> { [P0] = 1, [P1] = 1 }, "p0@1 and p1@1 are committed and absent; p0@3 is poison and p0@4 is not committed");
    }

    [Fact]
    public void RecordsBehind_PartitionWithoutCommit_HasNothingBehind()
    {
        var progress = new TargetProgress(0, 0, new Dictionary<SourcePartition, List<long>>());

        progress.RecordsBehind(new Dictionary<SourcePartition, long>(), [Entry(P0, 0)], keyed: false).Should().BeEmpty();
    }

    [Fact]
    public void RecordsBehind_UnderUpsert_ANewerVersionOfTheKeyStandsInForTheAbsentRecord()
    {
        var newer = Entry(P0, 5, "k", 2);
        var progress = new TargetProgress(1, 1, new Dictionary<SourcePartition, List<long>> { [P0] = [5] }, new Dictionary<string, LedgerEntry> { ["k"] = newer });
        LedgerEntry[] ledger = [Entry(P0, 1, "k", 1), newer, Entry(P0, 6, "other", 1)];

        progress.RecordsBehind(new Dictionary<SourcePartition, long> { [P0] = 7 }, ledger, keyed: true)
            .Should().Equal(new Dictionary<SourcePartition, long> { [P0] = 1 }, "k@1 is superseded by k@5; the other key is absent");
        progress.RecordsBehind(new Dictionary<SourcePartition, long> { [P0] = 7 }, ledger, keyed: false)
            .Should().Equal(new Dictionary<SourcePartition, long> { [P0] = 2 }, "without upsert every absent record counts");
    }

    private static LedgerEntry Entry(SourcePartition partition, long offset, string? key = null, long? version = null) =>
        new($"e-{partition.Partition}-{offset}", partition.Topic, partition.Partition, offset, key, version, 0, DateTimeOffset.UnixEpoch);
}
