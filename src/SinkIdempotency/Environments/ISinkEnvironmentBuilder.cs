namespace SinkIdempotency.Environments;

/// <summary>Starts an environment from the settings a builder holds; what the xUnit fixtures are generic over.</summary>
/// <typeparam name="TEnvironment">The environment the builder starts.</typeparam>
public interface ISinkEnvironmentBuilder<TEnvironment>
    where TEnvironment : ISinkEnvironment
{
    /// <summary>Builds and starts an environment.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running environment; dispose it to stop everything.</returns>
    Task<TEnvironment> StartAsync(CancellationToken cancellationToken = default);
}
