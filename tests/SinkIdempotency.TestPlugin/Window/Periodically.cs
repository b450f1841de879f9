namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Runs a step on a background loop at a fixed period until stopped; a failed step is tried again next round.</summary>
internal static class Periodically
{
    public static Task RunAsync(TimeSpan every, Func<CancellationToken, Task> step, CancellationToken stopping) => Task.Run(
        async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, stopping).ConfigureAwait(false);
                    await step(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception) when (!stopping.IsCancellationRequested)
                {
                    // Tried again next round.
                }
            }
        },
        CancellationToken.None);
}
