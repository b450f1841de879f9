namespace SinkIdempotency.Timing;

/// <summary>Marks a point a timeout after now on a <see cref="TimeProvider"/>'s monotonic clock, so a wall-clock change neither shortens nor stretches a wait.</summary>
/// <remarks>Compiled into each assembly that waits (linked source, <c>src/Shared</c>), so no assembly exposes it.</remarks>
internal readonly struct Deadline
{
    private readonly TimeProvider _timeProvider;
    private readonly long _start;

    private Deadline(TimeSpan timeout, TimeProvider timeProvider)
    {
        Timeout = timeout;
        _timeProvider = timeProvider;
        _start = timeProvider.GetTimestamp();
    }

    /// <summary>Gets the timeout the deadline was set with.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Gets a value indicating whether the timeout has passed.</summary>
    public bool HasPassed => Remaining <= TimeSpan.Zero;

    /// <summary>Gets the time left, zero or negative once the deadline has passed.</summary>
    public TimeSpan Remaining => Timeout - _timeProvider.GetElapsedTime(_start);

    /// <summary>Sets a deadline <paramref name="timeout"/> from now.</summary>
    /// <param name="timeout">The time until the deadline.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The deadline.</returns>
    public static Deadline After(TimeSpan timeout, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new Deadline(timeout, timeProvider);
    }
}
