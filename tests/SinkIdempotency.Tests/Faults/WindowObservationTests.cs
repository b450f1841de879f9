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
    public void SameAs_SameOffsetsAndRows_IsTrueAndAnyMoveIsNot()
    {
        var observation = Observe([0, 1, 2], committed: 2, behind: 0);

        observation.SameAs(Observe([0, 1, 2], committed: 2, behind: 0)).Should().BeTrue();
        observation.SameAs(Observe([0, 1, 2], committed: 3, behind: 0)).Should().BeFalse("a commit landed");
        observation.SameAs(Observe([0, 1, 2, 3], committed: 2, behind: 0)).Should().BeFalse("a row landed");
        observation.SameAs(Observe([0, 1, 3], committed: 2, behind: 0)).Should().BeFalse("another row, same count");
    }

    private static WindowObservation Observe(List<long> offsets, long committed, long behind) =>
        new(
            new TargetProgress(offsets.Count, offsets.Count, new Dictionary<SourcePartition, List<long>> { [P0] = offsets }),
            new Dictionary<SourcePartition, long> { [P0] = committed },
            new Dictionary<SourcePartition, long> { [P0] = behind });
}
