namespace SinkIdempotency.Broker.Tests.Support;

/// <summary>Polls a condition until it holds or a generous deadline passes (CPU-contended CI).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting until {what}. {diagnostics?.Invoke()}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
