namespace SinkIdempotency.Environments;

/// <summary>Holds the settings of environments that start their own Connect workers (embedded, Docker); <see cref="WorkerEnvironmentBuilder{TBuilder, TEnvironment, TOptions}"/> sets them.</summary>
public abstract record WorkerEnvironmentOptions : SinkEnvironmentOptions
{
    /// <summary>Gets the number of Connect workers started with the environment.</summary>
    /// <value>The default is 1.</value>
    public int Workers { get; init; } = 1;

    /// <summary>Gets the workers' <c>offset.flush.interval.ms</c>.</summary>
    /// <value>The default is 5 seconds (Connect's default of 60 s makes failure tests slow; Connect's own integration tests use 5 s).</value>
    public TimeSpan OffsetFlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the workers' group <c>session.timeout.ms</c> (how fast a dead worker leaves the Connect group), or <see langword="null"/> for Connect's default (10 s).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>The broker rejects group session timeouts below its <c>group.min.session.timeout.ms</c> (6 s by default in Kafka).</remarks>
    public TimeSpan? WorkerSessionTimeout { get; init; }

    /// <summary>Gets the sink consumers' <c>session.timeout.ms</c> (how fast a dead worker's partitions move), or <see langword="null"/> for the consumer default (45 s).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>
    /// A killed worker's sink consumer keeps its partitions until its session times out; failure tests shorten it so a
    /// fault converges inside a scenario's settle timeout. The consumers' <c>heartbeat.interval.ms</c> follows from it
    /// (each environment documents its fraction); a consumer property set explicitly wins.
    /// </remarks>
    public TimeSpan? ConsumerSessionTimeout { get; init; }

    /// <summary>Gets extra worker properties (e.g. <c>value.converter</c>, <c>task.shutdown.graceful.timeout.ms</c>).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> WorkerProperties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets how long a worker stopping gracefully gets before it is killed.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan WorkerStopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets a value indicating whether a <see cref="Proxy.TargetFaultProxy"/> sits between the connectors and the target.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool TargetProxy { get; init; } = true;
}
