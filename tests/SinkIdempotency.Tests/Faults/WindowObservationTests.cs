using SinkIdempotency.Evidence;
using SinkIdempotency.Faults;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Tests.Faults;

public sealed class WindowObservationTests
{
    private static readonly SourcePartition P0 = new("t", 0);

    [Fact]
    public void Size_ChoosesTheWindow()
    {
        var observation = Observe([0, 1, 2, 3], committed: 2, behind: 5);

        observation.Size(CrashWindowKind.TargetAheadOfCommit).Should().Be(2);
        observation.Size(CrashWindowKind.CommitAheadOfTarget).Should().Be(5);
    }

    [Fact]
    public void SameAs_RowsAhead_OnlyACommitCanCloseTheWindow()
    {
        var observation = Observe([0, 1, 2], committed: 2, behind: 0);

        observation.SameAs(Observe([0, 1, 2], committed: 2, behind: 0), CrashWindowKind.TargetAheadOfCommit).Should().BeTrue();
        observation.SameAs(Observe([0, 1, 2], committed: 3, behind: 0), CrashWindowKind.TargetAheadOfCommit).Should().BeFalse("a commit landed");
        observation.SameAs(Observe([0, 1, 2, 3], committed: 2, behind: 0), CrashWindowKind.TargetAheadOfCommit).Should().BeTrue("a row landing only widens the window");
    }

    [Fact]
    public void SameAs_RecordsBehind_OnlyAWriteCanCloseTheWindow()
    {
        var observation = Observe([0, 1, 2], committed: 5, behind: 2);

        observation.SameAs(Observe([0, 1, 2], committed: 6, behind: 3), CrashWindowKind.CommitAheadOfTarget).Should().BeTrue("a commit landing only widens the window");
        observation.SameAs(Observe([0, 1, 2, 3], committed: 5, behind: 1), CrashWindowKind.CommitAheadOfTarget).Should().BeFalse("a row landed");
        observation.SameAs(Observe([0, 1, 3], committed: 5, behind: 2), CrashWindowKind.CommitAheadOfTarget).Should().BeFalse("another row, same count");
    }

    private static WindowObservation Observe(List<long> offsets, long committed, long behind) =>
        new(
            new TargetProgress(offsets.Count, offsets.Count, new Dictionary<SourcePartition, List<long>> { [P0] = offsets }),
            new Dictionary<SourcePartition, long> { [P0] = committed },
            new Dictionary<SourcePartition, long> { [P0] = behind });
}
