using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;

namespace SinkIdempotency.Tests.Scenarios;

public sealed class TargetRhythmTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public void Required_NoChangeSeen_IsTheScenarioQuietPeriod()
    {
        var rhythm = new TargetRhythm();
        rhythm.Observe(T0, new TargetSummary(0, 0), Undisturbed);

        rhythm.LongestGap.Should().Be(TimeSpan.Zero);
        rhythm.Required(Quiet).Should().Be(Quiet);
    }

    [Fact]
    public void Required_SinkFlushingEveryOneAndAHalfSeconds_IsTwiceItsLongestGap()
    {
        var rhythm = new TargetRhythm();
        rhythm.Observe(T0, new TargetSummary(0, 0), Undisturbed);
        rhythm.Observe(At(1.5), new TargetSummary(100, 1), Undisturbed);
        rhythm.Observe(At(2.0), new TargetSummary(100, 1), Undisturbed);
        rhythm.Observe(At(3.0), new TargetSummary(300, 2), Undisturbed);
        rhythm.Observe(At(3.1), new TargetSummary(310, 3), Undisturbed);

        rhythm.LongestGap.Should().Be(TimeSpan.FromSeconds(1.5));
        rhythm.Required(Quiet).Should().Be(TimeSpan.FromSeconds(3));
        rhythm.LastChange.Should().Be(At(3.1));
    }

    [Fact]
    public void Observe_GapTheFaultActedIn_IsNotTheSinksRhythm()
    {
        var rhythm = new TargetRhythm();
        rhythm.Observe(T0, new TargetSummary(0, 0), Undisturbed);
        rhythm.Observe(At(0.2), new TargetSummary(10, 1), Undisturbed);
        rhythm.Observe(At(5.2), new TargetSummary(20, 2), (from, to) => from < At(1) && to > At(1));
        rhythm.Observe(At(5.5), new TargetSummary(30, 3), Undisturbed);

        rhythm.LongestGap.Should().Be(TimeSpan.FromSeconds(0.3), "the five seconds around the kill at t=1 s are the fault's, not the sink's");
    }

    [Fact]
    public void Begin_FirstRowsShowingLate_CountAsAGap()
    {
        var rhythm = new TargetRhythm();
        rhythm.Observe(T0, new TargetSummary(0, 0), Undisturbed);
        rhythm.Begin(At(0.1));
        rhythm.Observe(At(1.6), new TargetSummary(700, 1), Undisturbed);

        rhythm.LongestGap.Should().Be(TimeSpan.FromSeconds(1.5), "a sink whose first rows show 1.5 s after the first record is produced is slow before its second flush");
    }

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static bool Undisturbed(DateTimeOffset from, DateTimeOffset to) => false;
}
