namespace SinkIdempotency.Lifecycle;

/// <summary>Guards the lifetime of something that starts and stops (an environment, a local server): one start, one dispose, and a start that fails stops what it had started.</summary>
/// <remarks>
/// Start and dispose never run at the same time. A second start throws <see cref="InvalidOperationException"/> with the
/// owner's message, a start after dispose throws <see cref="ObjectDisposedException"/>, and a second dispose does nothing.
/// With <c>retryAfterFailedStart</c> a start that failed (and was rolled back) may be tried again, as a local server
/// whose port was taken may be. Compiled into each assembly that needs it (linked source, <c>src/Shared</c>), so no
/// assembly exposes it. The semaphore is never disposed: it allocates no wait handle, and a late dispose must still find it.
/// </remarks>
/// <param name="alreadyStarted">The message of the exception a second start throws, saying what to do instead.</param>
/// <param name="retryAfterFailedStart">Whether a start that failed may be tried again.</param>
internal sealed class LifecycleGate(string alreadyStarted, bool retryAfterFailedStart = false)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;

    /// <summary>Gets a value indicating whether dispose has begun.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Runs <paramref name="start"/> once; when it throws, runs <paramref name="rollback"/> and rethrows.</summary>
    /// <param name="owner">The guarded object, named by <see cref="ObjectDisposedException"/>.</param>
    /// <param name="start">Starts every part.</param>
    /// <param name="rollback">Stops whatever <paramref name="start"/> had started; must not throw. <see langword="null"/> when the start cleans up itself.</param>
    /// <param name="cancellationToken">Cancels waiting for the gate and the start.</param>
    /// <returns>A task that completes when the start has completed.</returns>
    /// <exception cref="ObjectDisposedException">The owner is disposed.</exception>
    /// <exception cref="InvalidOperationException">The owner was started before.</exception>
    public async Task StartAsync(object owner, Func<CancellationToken, Task> start, Func<Task>? rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsDisposed, owner);
            if (_started)
            {
                throw new InvalidOperationException(alreadyStarted);
            }

            _started = true;
            try
            {
                await start(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (rollback is not null)
                {
                    await rollback().ConfigureAwait(false);
                }

                _started = !retryAfterFailedStart;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="stop"/> on the first dispose only, after any start in progress has finished.</summary>
    /// <param name="stop">Stops everything; runs whether or not a start happened or succeeded.</param>
    /// <returns>A task that completes when <paramref name="stop"/> has (or had) completed.</returns>
    public async ValueTask DisposeAsync(Func<Task> stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
            await stop().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
