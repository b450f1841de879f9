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
}
