namespace SinkIdempotency.Environments;

/// <summary>Builds an environment that starts its own Connect workers (embedded, Docker), with the worker settings both share.</summary>
/// <typeparam name="TBuilder">The concrete builder, returned by every <c>With…</c>.</typeparam>
/// <typeparam name="TEnvironment">The environment it builds.</typeparam>
/// <typeparam name="TOptions">The options it holds.</typeparam>
public abstract class WorkerEnvironmentBuilder<TBuilder, TEnvironment, TOptions> : SinkEnvironmentBuilder<TBuilder, TEnvironment, TOptions>
    where TBuilder : WorkerEnvironmentBuilder<TBuilder, TEnvironment, TOptions>
    where TEnvironment : IStartableSinkEnvironment
    where TOptions : WorkerEnvironmentOptions
{
    /// <summary>Initializes a new instance of the <see cref="WorkerEnvironmentBuilder{TBuilder, TEnvironment, TOptions}"/> class.</summary>
    /// <param name="options">The options it holds.</param>
    protected WorkerEnvironmentBuilder(TOptions options)
        : base(options)
    {
    }

    /// <summary>Sets the number of Connect workers started with the environment.</summary>
    /// <param name="workers">The number of workers (each environment documents its range).</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithWorkers(int workers) => WithWorker(o => o with { Workers = workers });

    /// <summary>Sets the workers' <c>offset.flush.interval.ms</c>.</summary>
    /// <param name="interval">The commit interval; must be positive.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithOffsetFlushInterval(TimeSpan interval) => WithWorker(o => o with { OffsetFlushInterval = interval });

    /// <summary>Sets the workers' group session timeout (how fast a dead worker leaves the Connect group).</summary>
    /// <param name="timeout">The session timeout; the broker's <c>group.min.session.timeout.ms</c> is the floor.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithWorkerSessionTimeout(TimeSpan timeout) => WithWorker(o => o with { WorkerSessionTimeout = timeout });

    /// <summary>Sets the sink consumers' session timeout (how fast a dead worker's partitions move).</summary>
    /// <param name="timeout">The session timeout; the broker's <c>group.min.session.timeout.ms</c> is the floor.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithConsumerSessionTimeout(TimeSpan timeout) => WithWorker(o => o with { ConsumerSessionTimeout = timeout });

    /// <summary>Adds a worker property, e.g. <c>value.converter</c> or <c>task.shutdown.graceful.timeout.ms</c>.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithWorkerProperty(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return WithWorker(o => o with { WorkerProperties = new Dictionary<string, string>(o.WorkerProperties, StringComparer.Ordinal) { [key] = value } });
    }

    /// <summary>Sets how long a worker stopping gracefully gets before it is killed.</summary>
    /// <param name="timeout">The grace period; zero or more.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithWorkerStopTimeout(TimeSpan timeout) => WithWorker(o => o with { WorkerStopTimeout = timeout });

    /// <summary>Chooses whether the fault proxy sits between the connectors and the target.</summary>
    /// <param name="enabled">Whether to put the proxy in front of the target.</param>
    /// <returns>A new builder.</returns>
    public TBuilder WithTargetProxy(bool enabled) => WithWorker(o => o with { TargetProxy = enabled });

    private TBuilder WithWorker(Func<WorkerEnvironmentOptions, WorkerEnvironmentOptions> change) => With(change);
}
