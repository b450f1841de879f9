namespace SinkIdempotency.Sink;

/// <summary>
/// Describes a sink plugin, validates its configuration and splits it into task configurations, as Connect's <c>SinkConnector</c> does.
/// The worker finds it by full class name or by alias (simple name, and simple name without the <c>Connector</c> suffix).
/// </summary>
/// <remarks>Implementations need a public parameterless constructor.</remarks>
public abstract class SinkConnector
{
    /// <summary>Gets the version reported by <c>GET /connector-plugins</c>.</summary>
    public abstract string Version { get; }

    /// <summary>Gets the definition of the connector's own configuration keys (the worker adds the common ones).</summary>
    public abstract ConfigDefinition Config { get; }

    /// <summary>Validates a configuration; the default checks it against <see cref="Config"/>.</summary>
    /// <param name="config">The connector configuration.</param>
    /// <returns>One result per key.</returns>
    public virtual IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> config) => Config.Validate(config);

    /// <summary>Starts the connector with its configuration.</summary>
    /// <param name="config">The connector configuration.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when started.</returns>
    public abstract Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);

    /// <summary>Creates a new, uninitialized task instance.</summary>
    /// <returns>The task.</returns>
    public abstract SinkTask CreateTask();

    /// <summary>Splits the started configuration into at most <paramref name="maxTasks"/> task configurations.</summary>
    /// <param name="maxTasks">The value of <c>tasks.max</c>.</param>
    /// <returns>One configuration per task.</returns>
    public abstract IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks);

    /// <summary>Stops the connector.</summary>
    /// <param name="cancellationToken">Cancels the stop.</param>
    /// <returns>A task that completes when stopped.</returns>
    public virtual Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
