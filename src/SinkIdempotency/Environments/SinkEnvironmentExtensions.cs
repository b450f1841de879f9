using SinkIdempotency.Connect;
using SinkIdempotency.Kafka;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Environments;

/// <summary>Provides capability checks and client factories for any <see cref="ISinkEnvironment"/>.</summary>
public static class SinkEnvironmentExtensions
{
    /// <summary>Explains why the environment cannot run a scenario that needs <paramref name="required"/>.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="required">The capabilities the scenario needs.</param>
    /// <returns>The skip reason, or <see langword="null"/> when every required capability is there.</returns>
    public static string? MissingCapabilityReason(this ISinkEnvironment environment, EnvironmentCapabilities required)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var missing = required & ~environment.Capabilities;
        return missing == EnvironmentCapabilities.None ? null : new MissingCapabilityException(environment.Name, missing).Message;
    }

    /// <summary>Throws <see cref="MissingCapabilityException"/> unless the environment has every capability in <paramref name="required"/>.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="required">The capabilities the scenario needs.</param>
    /// <exception cref="MissingCapabilityException">A capability is missing; its message is the skip reason.</exception>
    public static void RequireCapabilities(this ISinkEnvironment environment, EnvironmentCapabilities required)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var missing = required & ~environment.Capabilities;
        if (missing != EnvironmentCapabilities.None)
        {
            throw new MissingCapabilityException(environment.Name, missing);
        }
    }

    /// <summary>Creates a REST client for the first running worker (any worker forwards requests to the leader).</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="options">Client options, or <see langword="null"/> for defaults.</param>
    /// <returns>A client the caller disposes.</returns>
    /// <exception cref="InvalidOperationException">No worker is running.</exception>
    public static ConnectRestClient CreateConnectClient(this ISinkEnvironment environment, ConnectRestClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var url = environment.ConnectUrls.FirstOrDefault()
            ?? throw new InvalidOperationException($"The {environment.Name} environment has no running Connect worker; add or restart one first.");
        return new ConnectRestClient(url, options ?? environment.CreateConnectClientOptions());
    }

    /// <summary>Creates REST client options carrying what the environment's Connect cluster needs (basic authentication for an external cluster).</summary>
    /// <param name="environment">The environment.</param>
    /// <returns>New options the caller may change.</returns>
    public static ConnectRestClientOptions CreateConnectClientOptions(this ISinkEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.CreateConnectClientOptions();
    }

    /// <summary>Builds the driver a <see cref="ScenarioRunner"/> runs scenarios through, asking the Connect cluster whether it serves the offsets API.</summary>
    /// <param name="environment">The started environment.</param>
    /// <param name="ownsEnvironment">Whether disposing the driver disposes the environment too.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>The driver the caller disposes; when the question fails and <paramref name="ownsEnvironment"/> is set, the environment is disposed before the error is thrown.</returns>
    public static async Task<IScenarioDriver> CreateScenarioDriverAsync(this ISinkEnvironment environment, bool ownsEnvironment = false, CancellationToken cancellationToken = default) =>
        await SinkScenarioDriver.CreateAsync(environment, ownsEnvironment, cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a Kafka probe for the environment's cluster.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="options">Probe options, or <see langword="null"/> for defaults.</param>
    /// <returns>A probe the caller disposes.</returns>
    public static KafkaProbe CreateKafkaProbe(this ISinkEnvironment environment, KafkaProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new KafkaProbe(environment.Kafka, options);
    }
}
