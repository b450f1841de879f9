namespace SinkIdempotency.Environments;

/// <summary>Stops the parts of an environment one after another, so that one part failing to stop does not keep the others running.</summary>
internal static class PartDisposal
{
    /// <summary>Runs every stop in order and adds what each throws to <paramref name="failures"/>.</summary>
    /// <param name="failures">Collects the exceptions; the caller decides how to report them.</param>
    /// <param name="stops">The stops, in the order to run them.</param>
    /// <returns>A task that completes when every stop has run.</returns>
    public static async Task StopEachAsync(List<Exception> failures, params Func<ValueTask>[] stops)
    {
        foreach (var stop in stops)
        {
            try
            {
                await stop().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }
    }
}
