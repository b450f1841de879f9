using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Tests.Timing;

/// <summary>Checks that <see cref="DelayAtLeast"/> never ends before its delay, even with timers that fire early.</summary>
public sealed class DelayAtLeastTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task WaitAsync_TimersFireOnePercentEarly_EndsNoEarlierThanTheDelay()
    {
        var clock = new FakeTimeProvider();
        var early = new EarlyTimers(clock);
        var started = clock.GetTimestamp();

        var plain = Task.Delay(Delay, early, TestContext.Current.CancellationToken);
        var atLeast = DelayAtLeast.WaitAsync(Delay, early, TestContext.Current.CancellationToken);
        var plainEnded = await StepUntilAsync(clock, started, plain);
        var atLeastEnded = await StepUntilAsync(clock, started, atLeast);

        plainEnded.Should().BeLessThan(Delay, "the timers in this test fire early, so a plain delay ends short (the test can fail)");
        atLeastEnded.Should().BeGreaterThanOrEqualTo(Delay);
        clock.GetElapsedTime(started).Should().BeLessThan(Delay + TimeSpan.FromMilliseconds(10), "it waits again only for what is left");
    }

    [Fact]
    public async Task WaitAsync_FromAnEarlierStart_WaitsOnlyForWhatIsLeft()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(300));

        var wait = DelayAtLeast.WaitAsync(start, Delay, clock, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        wait.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    // Advances the fake clock a millisecond at a time until the task ends; returns the time since the start.
    private static async Task<TimeSpan> StepUntilAsync(FakeTimeProvider clock, long started, Task task)
    {
        for (var step = 0; step < 1000 && !task.IsCompleted; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        await task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return clock.GetElapsedTime(started);
    }

    private sealed class EarlyTimers(FakeTimeProvider clock) : TimeProvider
    {
        public override long TimestampFrequency => clock.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override long GetTimestamp() => clock.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            clock.CreateTimer(callback, state, dueTime * 0.99, period);
    }
}
