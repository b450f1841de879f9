using System.Globalization;

namespace SinkIdempotency.Timing;

/// <summary>Waits for a condition by polling it until a deadline on a <see cref="TimeProvider"/>: the one way the harness and the worker wait.</summary>
/// <remarks>
/// The condition is checked first, then once per interval, and once more after the deadline has passed, so a condition
/// that comes true during the last interval is still seen. Compiled into each assembly that waits (linked source,
/// <c>src/Shared</c>), so no assembly exposes it.
/// </remarks>
internal static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until it holds or <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeProvider">The clock for the deadline and the pauses.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="interval">The pause between two checks.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when the condition held; <see langword="false"/> when the deadline passed first.</returns>
    public static async Task<bool> UntilAsync(TimeProvider timeProvider, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Deadline.After(timeout, timeProvider);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await condition(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (deadline.HasPassed)
            {
                return false;
            }

            await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until it holds, or throws once <paramref name="timeout"/> has passed.</summary>
    /// <param name="timeProvider">The clock for the deadline and the pauses.</param>
    /// <param name="awaited">What is awaited, as the subject of a sentence, e.g. <c>PostgreSQL process 4711 to exit</c>.</param>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="interval">The pause between two checks.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the condition held.</returns>
    /// <exception cref="TimeoutException">The deadline passed first; the message names <paramref name="awaited"/> and the timeout.</exception>
    public static async Task UntilOrThrowAsync(TimeProvider timeProvider, string awaited, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        if (!await UntilAsync(timeProvider, condition, timeout, interval, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException(TimedOut(awaited, timeout));
        }
    }

    /// <summary>Says that a wait timed out, naming what was awaited: <c>Waited 5 s for X; it did not happen.</c></summary>
    /// <param name="awaited">What was awaited.</param>
    /// <param name="timeout">How long was waited.</param>
    /// <returns>The sentence.</returns>
    public static string TimedOut(string awaited, TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture, $"Waited {timeout.TotalSeconds:0.###} s for {awaited}; it did not happen.");
}
