namespace SinkIdempotency.Timing;

/// <summary>Waits at least as long as asked, for injected latencies and holds: a timer may fire up to a tick early, so the wait is measured on the monotonic clock and repeated for what is left.</summary>
/// <remarks>Compiled into each assembly that injects delays (linked source, <c>src/Shared</c>), so no assembly exposes it.</remarks>
internal static class DelayAtLeast
{
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(1);

    /// <summary>Waits until at least <paramref name="delay"/> has passed on <paramref name="timeProvider"/>'s monotonic clock since now.</summary>
    /// <param name="delay">The shortest wait; zero or negative returns at once.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes no earlier than <paramref name="delay"/> from now.</returns>
    public static Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        WaitAsync(timeProvider.GetTimestamp(), delay, timeProvider, cancellationToken);

    /// <summary>Waits until at least <paramref name="delay"/> has passed on <paramref name="timeProvider"/>'s monotonic clock since <paramref name="startTimestamp"/>.</summary>
    /// <param name="startTimestamp">When the delay started, from <see cref="TimeProvider.GetTimestamp"/>.</param>
    /// <param name="delay">The shortest time between <paramref name="startTimestamp"/> and the end of the wait.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes no earlier than <paramref name="delay"/> after <paramref name="startTimestamp"/>.</returns>
    public static async Task WaitAsync(long startTimestamp, TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        TimeSpan left;
        while ((left = delay - timeProvider.GetElapsedTime(startTimestamp)) > TimeSpan.Zero)
        {
            await Task.Delay(left < ShortestWait ? ShortestWait : left, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
