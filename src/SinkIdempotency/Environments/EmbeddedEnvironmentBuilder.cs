using SinkIdempotency.Broker;
using SinkIdempotency.Embedded;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Environments;

/// <summary>Builds an <see cref="EmbeddedEnvironment"/> immutably: every <c>With…</c> returns a new builder.</summary>
/// <example><code>await using var env = await new EmbeddedEnvironmentBuilder().WithWorkers(2).StartAsync();</code></example>
public sealed class EmbeddedEnvironmentBuilder : WorkerEnvironmentBuilder<EmbeddedEnvironmentBuilder, EmbeddedEnvironment, EmbeddedEnvironmentOptions>
{
    /// <summary>Initializes a new instance of the <see cref="EmbeddedEnvironmentBuilder"/> class with the defaults of <see cref="EmbeddedEnvironmentOptions"/>.</summary>
    public EmbeddedEnvironmentBuilder()
        : this(new EmbeddedEnvironmentOptions())
    {
    }

    private EmbeddedEnvironmentBuilder(EmbeddedEnvironmentOptions options)
        : base(options)
    {
    }

    /// <summary>The label <see cref="WithKafka(LibrdkafkaMockCluster)"/> gives librdkafka's mock cluster.</summary>
    public const string MockClusterLabel = "librdkafka-mock";

    /// <summary>Sets the path of <c>SinkIdempotency.Worker.dll</c>.</summary>
    /// <param name="workerPath">The assembly path.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithWorkerPath(string workerPath) => new(Options with { WorkerPath = workerPath });

    /// <summary>Adds a property for every Kafka client of the workers.</summary>
    /// <param name="key">The property name.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithClientProperty(string key, string value) => new(Options with { ClientProperties = With(Options.ClientProperties, key, value) });

    /// <summary>Adds a property for the sink tasks' consumers.</summary>
    /// <param name="key">The property name, e.g. <c>session.timeout.ms</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithConsumerProperty(string key, string value) => new(Options with { ConsumerProperties = With(Options.ConsumerProperties, key, value) });

    /// <summary>Adds a folder or assembly with .NET sink plugins.</summary>
    /// <param name="path">The path.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithPluginPath(string path) => new(Options with { PluginPaths = [.. Options.PluginPaths, path] });

    /// <summary>Changes how the local PostgreSQL is built.</summary>
    /// <param name="configure">Receives the current PostgreSQL builder and returns the one to use.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithPostgreSql(Func<LocalPostgreSqlBuilder, LocalPostgreSqlBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return new(Options with { PostgreSql = configure(Options.PostgreSql) });
    }

    /// <summary>Changes how the local MariaDB target is built (it starts only when a scenario needs it).</summary>
    /// <param name="configure">Receives the current MariaDB builder and returns the one to use.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithMySql(Func<LocalMySqlBuilder, LocalMySqlBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return new(Options with { MySql = configure(Options.MySql) });
    }

    /// <summary>Sets the options of the in-process broker.</summary>
    /// <param name="broker">The broker options.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithBroker(KafkaBrokerOptions broker) => new(Options with { Broker = broker });

    /// <summary>Runs the environment on a Kafka-compatible cluster of your own instead of the in-process broker; workers, PostgreSQL and the proxy stay on this machine.</summary>
    /// <param name="bootstrapServers">The cluster's bootstrap servers, <c>host:port[,host:port…]</c>.</param>
    /// <returns>A new builder.</returns>
    /// <remarks>The environment is named <c>embedded@</c> and the bootstrap servers (or <see cref="WithKafkaLabel"/>), so two scorecards tell their clusters apart.</remarks>
    public EmbeddedEnvironmentBuilder WithBootstrapServers(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return new(Options with { BootstrapServers = bootstrapServers.Trim() });
    }

    /// <summary>Adds a librdkafka setting (SASL, TLS…) for every Kafka client on the cluster of <see cref="WithBootstrapServers"/>: the harness's and the workers'.</summary>
    /// <param name="key">The setting name, e.g. <c>security.protocol</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithKafkaSetting(string key, string value) => new(Options with { KafkaSettings = With(Options.KafkaSettings, key, value) });

    /// <summary>Names the cluster of <see cref="WithBootstrapServers"/> in reports: the environment becomes <c>embedded@label</c>.</summary>
    /// <param name="label">A short name without spaces, e.g. <c>staging-msk</c>.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithKafkaLabel(string label) => new(Options with { KafkaLabel = label });

    /// <summary>Creates topics on the cluster of <see cref="WithBootstrapServers"/> through <paramref name="topicAdmin"/> instead of CreateTopics, for clusters that do not serve it.</summary>
    /// <param name="topicAdmin">What creates and deletes the topics.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithTopicAdmin(IKafkaTopicAdmin topicAdmin)
    {
        ArgumentNullException.ThrowIfNull(topicAdmin);
        return new(Options with { TopicAdmin = topicAdmin });
    }

    /// <summary>Runs the environment on librdkafka's mock cluster: its bootstrap servers, its topic creation, and the label <c>librdkafka-mock</c>.</summary>
    /// <param name="mockCluster">The running mock cluster; the caller disposes it after the environment.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithKafka(LibrdkafkaMockCluster mockCluster)
    {
        ArgumentNullException.ThrowIfNull(mockCluster);
        return WithBootstrapServers(mockCluster.BootstrapServers).WithTopicAdmin(mockCluster).WithKafkaLabel(MockClusterLabel);
    }

    /// <summary>Sets how long the cluster of <see cref="WithBootstrapServers"/> may take to answer at start.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithKafkaReachabilityTimeout(TimeSpan timeout) => new(Options with { KafkaReachabilityTimeout = timeout });

    /// <summary>Sets how long a worker may take to become ready.</summary>
    /// <param name="timeout">The start timeout.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithWorkerStartTimeout(TimeSpan timeout) => new(Options with { WorkerStartTimeout = timeout });

    /// <summary>Sets a folder where worker logs are written.</summary>
    /// <param name="logDirectory">The folder.</param>
    /// <returns>A new builder.</returns>
    public EmbeddedEnvironmentBuilder WithLogDirectory(string logDirectory) => new(Options with { LogDirectory = logDirectory });

    /// <summary>Uses servers shared with other environments instead of starting a broker, PostgreSQL, MariaDB and an HTTP target server of its own.</summary>
    /// <param name="servers">The shared servers, started from this builder's options; they must outlive the environment.</param>
    /// <returns>A new builder.</returns>
    internal EmbeddedEnvironmentBuilder WithSharedServers(EmbeddedSharedServers servers) => new(Options with { SharedServers = servers });

    /// <inheritdoc/>
    protected override EmbeddedEnvironmentBuilder Clone(EmbeddedEnvironmentOptions options) => new(options);

    /// <inheritdoc/>
    protected override EmbeddedEnvironment Create(EmbeddedEnvironmentOptions options) => new(options);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> current, string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return new Dictionary<string, string>(current, StringComparer.Ordinal) { [key] = value };
    }
}
