using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Tests.Timing;

/// <summary>Checks the one wait helper: condition first, one check per interval, one more after the deadline, and a timeout message naming what was awaited.</summary>
public sealed class PollTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UntilAsync_ConditionAlreadyTrue_ReturnsTrueWithoutWaiting()
    {
        var clock = new FakeTimeProvider();
        var checks = 0;

        var held = await Poll.UntilAsync(clock, _ => Task.FromResult(++checks > 0), TimeSpan.FromSeconds(1), Interval, Token);

        held.Should().BeTrue();
        checks.Should().Be(1);
    }

    [Fact]
    public async Task UntilAsync_ConditionTrueOnThirdCheck_ReturnsTrueAfterTwoIntervals()
    {
        var clock = new FakeTimeProvider();
        var started = clock.GetTimestamp();
        var checks = 0;

        var wait = Poll.UntilAsync(clock, _ => Task.FromResult(++checks == 3), TimeSpan.FromSeconds(10), Interval, Token);
        clock.Advance(Interval);
        clock.Advance(Interval);

        (await wait.WaitAsync(TimeSpan.FromSeconds(10), Token)).Should().BeTrue();
        checks.Should().Be(3);
        clock.GetElapsedTime(started).Should().Be(2 * Interval);
    }

    [Fact]
    public async Task UntilAsync_NeverTrue_ChecksOnceMoreAfterTheDeadlineThenReturnsFalse()
    {
        var clock = new FakeTimeProvider();
        var checks = 0;

        var wait = Poll.UntilAsync(clock, _ => Task.FromResult(++checks < 0), TimeSpan.FromMilliseconds(250), Interval, Token);
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(Interval);
        }

        (await wait.WaitAsync(TimeSpan.FromSeconds(10), Token)).Should().BeFalse();
        checks.Should().Be(4, "checks at 0, 100 and 200 ms fall before the 250 ms deadline, the one at 300 ms after it");
    }

    [Fact]
    public async Task UntilOrThrowAsync_DeadlinePasses_ThrowsNamingWhatWasAwaited()
    {
        var clock = new FakeTimeProvider();

        var wait = Poll.UntilOrThrowAsync(clock, "PostgreSQL process 4711 to exit", _ => Task.FromResult(false), TimeSpan.FromMilliseconds(150), Interval, Token);
        clock.Advance(Interval);
        clock.Advance(Interval);

        (await FluentActions.Awaiting(() => wait.WaitAsync(TimeSpan.FromSeconds(10), Token)).Should().ThrowAsync<TimeoutException>())
            .WithMessage("Waited 0.15 s for PostgreSQL process 4711 to exit; it did not happen.");
    }

    [Fact]
    public async Task UntilAsync_Cancelled_ThrowsOperationCanceled()
    {
        var clock = new FakeTimeProvider();
        using var cancel = new CancellationTokenSource();
        var wait = Poll.UntilAsync(clock, _ => Task.FromResult(false), TimeSpan.FromSeconds(10), Interval, cancel.Token);

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => wait).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Deadline_WallClockJumpsForward_DoesNotPass()
    {
        var clock = new JumpingWallClock();
        var deadline = Deadline.After(TimeSpan.FromSeconds(1), clock);

        clock.WallOffset = TimeSpan.FromHours(1);

        deadline.HasPassed.Should().BeFalse("the deadline is measured on the monotonic clock");
        deadline.Remaining.Should().BeGreaterThan(TimeSpan.Zero);
    }

    private sealed class JumpingWallClock : TimeProvider
    {
        public TimeSpan WallOffset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + WallOffset;
    }
}
