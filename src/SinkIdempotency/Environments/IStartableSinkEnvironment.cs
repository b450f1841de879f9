namespace SinkIdempotency.Environments;

/// <summary>Starts an environment that was built but not started; what <see cref="SinkEnvironmentBuilder{TBuilder, TEnvironment, TOptions}.StartAsync"/> calls.</summary>
public interface IStartableSinkEnvironment : ISinkEnvironment
{
    /// <summary>Starts every part; a failed start stops what started, and a second start throws.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the environment runs.</returns>
    Task StartAsync(CancellationToken cancellationToken = default);
}
