using SinkIdempotency.Broker;
using SinkIdempotency.Embedded;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Environments;

/// <summary>Configures an <see cref="EmbeddedEnvironment"/>; build it with <see cref="EmbeddedEnvironmentBuilder"/>.</summary>
/// <remarks>
/// With <see cref="WorkerEnvironmentOptions.WorkerSessionTimeout"/> set, the workers heartbeat every tenth of it (at least 100 ms)
/// rather than Connect's third, so a joining worker lands within a fraction of a second. With
/// <see cref="WorkerEnvironmentOptions.ConsumerSessionTimeout"/> set, the sink consumers get <c>session.timeout.ms</c> and a
/// <c>heartbeat.interval.ms</c> of a third of it (Kafka's recommended ratio), unless <see cref="ConsumerProperties"/> sets them.
/// </remarks>
public sealed record EmbeddedEnvironmentOptions : WorkerEnvironmentOptions
{
    /// <summary>Names the environment variable that points at <c>SinkIdempotency.Worker.dll</c> when it is not next to the harness.</summary>
    public const string WorkerPathVariable = "SINKIDEMPOTENCY_WORKER_PATH";

    /// <summary>Gets the path of <c>SinkIdempotency.Worker.dll</c>, or <see langword="null"/> to look for it (see <see cref="WorkerPathVariable"/>).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="WorkerPathVariable"/> when set (a wrong path is an error), else next to the harness (where the SinkIdempotency package copies it), else the repository's <c>artifacts/bin</c>.</value>
    public string? WorkerPath { get; init; }

    /// <summary>Gets properties for every Kafka client of the workers (<c>--client-property</c>).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> ClientProperties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets properties for the sink tasks' consumers (<c>--consumer-property</c>, e.g. <c>session.timeout.ms</c>).</summary>
    /// <value>The default is empty.</value>
    /// <remarks>
    /// A killed worker's sink consumer keeps its partitions until its session times out, 45 s by default in real Connect;
    /// failure tests shorten it to the broker's 6 s minimum (see <see cref="Scenarios.ReferenceMatrix.EnvironmentBuilder()"/>)
    /// so a fault converges inside a scenario's settle timeout.
    /// </remarks>
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the sink consumers' properties as the workers receive them: those <see cref="WorkerEnvironmentOptions.ConsumerSessionTimeout"/> implies, then <see cref="ConsumerProperties"/>, which win.</summary>
    internal IReadOnlyDictionary<string, string> EffectiveConsumerProperties
    {
        get
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            if (ConsumerSessionTimeout is { } session)
            {
                properties["session.timeout.ms"] = Milliseconds(session);
                properties["heartbeat.interval.ms"] = Milliseconds(TimeSpan.FromMilliseconds(Math.Max(100, session.TotalMilliseconds / 3)));
            }

            foreach (var (key, value) in ConsumerProperties)
            {
                properties[key] = value;
            }

            return properties;
        }
    }

    /// <summary>Gets folders or assemblies with .NET sink plugins the workers load.</summary>
    /// <value>The default is empty: only the built-in sinks.</value>
    public IReadOnlyList<string> PluginPaths { get; init; } = [];

    /// <summary>Gets the builder of the local PostgreSQL target.</summary>
    /// <value>The default is a new <see cref="LocalPostgreSqlBuilder"/> (fsync off, cached template).</value>
    public LocalPostgreSqlBuilder PostgreSql { get; init; } = new();

    /// <summary>Gets the builder of the local MariaDB (or MySQL) target, started the first time a scenario names <c>target.kind: mysql</c>.</summary>
    /// <value>The default is a new <see cref="LocalMySqlBuilder"/> (fsync off, database <c>sinkidempotency</c>).</value>
    public LocalMySqlBuilder MySql { get; init; } = new();

    /// <summary>Gets the options of the in-process broker.</summary>
    /// <value>The default is a new <see cref="KafkaBrokerOptions"/> (free port, auto-created topics).</value>
    public KafkaBrokerOptions Broker { get; init; } = new();

    /// <summary>Gets the bootstrap servers of a Kafka-compatible cluster to use instead of the in-process broker, or <see langword="null"/> for the in-process broker.</summary>
    /// <value>The default is <see langword="null"/>: the in-process broker (<see cref="Broker"/>).</value>
    /// <remarks>
    /// With a cluster of its own the environment still runs the workers, PostgreSQL and the fault proxy on this machine; it
    /// has no broker-side faults, reads the APIs the cluster serves at start and withdraws what they cannot do, and deletes
    /// the topics it created on the cluster when disposed.
    /// </remarks>
    public string? BootstrapServers { get; init; }

    /// <summary>Gets librdkafka settings for every Kafka client of the harness and the workers on the cluster of <see cref="BootstrapServers"/> (SASL, TLS…), passed through unchanged.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> KafkaSettings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the name of the cluster of <see cref="BootstrapServers"/> in reports: the environment is named <c>embedded@</c> and this label.</summary>
    /// <value>The default is <see langword="null"/>: the bootstrap servers name it.</value>
    public string? KafkaLabel { get; init; }

    /// <summary>Gets what creates and deletes topics on the cluster of <see cref="BootstrapServers"/> when it does not serve CreateTopics, or <see langword="null"/> to use CreateTopics and DeleteTopics.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>The environment creates the workers' internal topics through it before they start, and scenarios their topics.</remarks>
    public IKafkaTopicAdmin? TopicAdmin { get; init; }

    /// <summary>Gets how long the cluster of <see cref="BootstrapServers"/> may take to answer at start, before anything else is started.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan KafkaReachabilityTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long a worker may take to print its REST URL and answer <c>GET /</c>.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan WorkerStartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets a folder where each worker's log (its standard error) is written, or <see langword="null"/> to keep logs in memory only.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? LogDirectory { get; init; }

    /// <summary>Gets servers this environment uses instead of starting its own (the broker, PostgreSQL, MariaDB, the HTTP target server), or <see langword="null"/> to start its own.</summary>
    /// <value>The default is <see langword="null"/>. The environment still starts its own workers and fault proxies, and does not stop the shared servers.</value>
    internal EmbeddedSharedServers? SharedServers { get; init; }

    /// <summary>Checks the options and throws an exception naming the option to change.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public override void Validate()
    {
        if (Workers is < 0 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "EmbeddedEnvironmentOptions.Workers must be between 0 and 32.");
        }

        if (OffsetFlushInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OffsetFlushInterval), OffsetFlushInterval, "EmbeddedEnvironmentOptions.OffsetFlushInterval must be positive.");
        }

        if (WorkerSessionTimeout is { } session && session <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerSessionTimeout), WorkerSessionTimeout, "EmbeddedEnvironmentOptions.WorkerSessionTimeout must be positive, or null for the worker's default.");
        }

        if (WorkerStartTimeout <= TimeSpan.Zero || WorkerStopTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerStartTimeout), "EmbeddedEnvironmentOptions.WorkerStartTimeout must be positive and WorkerStopTimeout not negative.");
        }

        if (WorkerPath is not null && !File.Exists(WorkerPath))
        {
            throw new ArgumentException($"EmbeddedEnvironmentOptions.WorkerPath '{WorkerPath}' does not exist; point it at SinkIdempotency.Worker.dll.", nameof(WorkerPath));
        }

        ValidateKafka();
        ArgumentNullException.ThrowIfNull(PostgreSql);
        ArgumentNullException.ThrowIfNull(Broker);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        PostgreSql.Options.Validate();
        ArgumentNullException.ThrowIfNull(MySql);
        MySql.Options.Validate();
        Broker.Validate();
    }

    private void ValidateKafka()
    {
        ArgumentNullException.ThrowIfNull(KafkaSettings);
        if (BootstrapServers is null)
        {
            if (KafkaSettings.Count > 0 || KafkaLabel is not null || TopicAdmin is not null)
            {
                throw new ArgumentException("EmbeddedEnvironmentOptions.KafkaSettings, KafkaLabel and TopicAdmin describe a cluster of your own; set BootstrapServers too (WithBootstrapServers), or drop them to use the in-process broker.", nameof(BootstrapServers));
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(BootstrapServers) || BootstrapServers.Split(',', StringSplitOptions.TrimEntries).Any(s => !ExternalEnvironmentOptions.IsHostPort(s)))
        {
            throw new ArgumentException($"EmbeddedEnvironmentOptions.BootstrapServers '{BootstrapServers}' is not a comma-separated list of host:port, e.g. broker-1:9092,broker-2:9092.", nameof(BootstrapServers));
        }

        foreach (var key in KafkaSettings.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || key is "bootstrap.servers" or "client.id" or "group.id")
            {
                throw new ArgumentException($"EmbeddedEnvironmentOptions.KafkaSettings cannot hold '{key}': the harness sets bootstrap servers (from BootstrapServers), client ids and group ids itself.", nameof(KafkaSettings));
            }
        }

        if (KafkaLabel is not null && (KafkaLabel.Length is 0 or > 64 || KafkaLabel.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            throw new ArgumentException($"EmbeddedEnvironmentOptions.KafkaLabel '{KafkaLabel}' must be 1 to 64 characters without spaces, e.g. staging-msk.", nameof(KafkaLabel));
        }

        if (KafkaReachabilityTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KafkaReachabilityTimeout), KafkaReachabilityTimeout, "EmbeddedEnvironmentOptions.KafkaReachabilityTimeout must be positive.");
        }
    }

    private static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
