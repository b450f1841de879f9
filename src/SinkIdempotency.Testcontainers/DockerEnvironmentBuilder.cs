using SinkIdempotency.Environments;

namespace SinkIdempotency.Testcontainers;

/// <summary>Builds a <see cref="DockerEnvironment"/> immutably: every <c>With…</c> returns a new builder and leaves this one unchanged.</summary>
/// <example><code>await using var env = await new DockerEnvironmentBuilder().WithWorkers(2).WithOffsetFlushInterval(TimeSpan.FromSeconds(1)).StartAsync();</code></example>
public sealed class DockerEnvironmentBuilder : ISinkEnvironmentBuilder<DockerEnvironment>
{
    /// <summary>Initializes a new instance of the <see cref="DockerEnvironmentBuilder"/> class with the defaults of <see cref="DockerEnvironmentOptions"/>.</summary>
    public DockerEnvironmentBuilder()
        : this(new DockerEnvironmentOptions())
    {
    }

    private DockerEnvironmentBuilder(DockerEnvironmentOptions options) => Options = options;

    /// <summary>Gets the options this builder holds.</summary>
    public DockerEnvironmentOptions Options { get; }

    /// <summary>Chooses the broker flavour and, optionally, its image.</summary>
    /// <param name="flavour">The flavour.</param>
    /// <param name="image">The image, or <see langword="null"/> for the flavour's pinned image.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithKafka(KafkaFlavour flavour, string? image = null) => new(Options with { Flavour = flavour, KafkaImage = image });

    /// <summary>Chooses the broker flavour and image from <see cref="DockerEnvironmentOptions.KafkaFlavourVariable"/> and <see cref="DockerEnvironmentOptions.KafkaImageVariable"/>; an unset variable keeps this builder's choice, so a CI matrix can run one suite against every flavour.</summary>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentException">The flavour variable names no flavour; the message lists the names.</exception>
    public DockerEnvironmentBuilder WithKafkaFromEnvironmentVariables() => WithKafkaFrom(Environment.GetEnvironmentVariable);

    /// <summary>Sets the number of Connect workers started with the environment.</summary>
    /// <param name="workers">The number of workers, 1 to 16.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithWorkers(int workers) => new(Options with { Workers = workers });

    /// <summary>Uses a pre-built Connect image instead of building <c>docker/connect/Dockerfile</c>.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithConnectImage(string image) => new(Options with { ConnectImage = image });

    /// <summary>Sets the folder holding the Connect <c>Dockerfile</c> to build.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithConnectDockerfileDirectory(string directory) => new(Options with { ConnectDockerfileDirectory = directory });

    /// <summary>Adds a folder of Kafka Connect plugins copied into every worker under <c>/usr/share/plugins/&lt;folder name&gt;</c>.</summary>
    /// <param name="folder">The folder on this machine.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithPluginFolder(string folder) => new(Options with { PluginFolders = [.. Options.PluginFolders, folder] });

    /// <summary>Sets the workers' <c>offset.flush.interval.ms</c>.</summary>
    /// <param name="interval">The commit interval; must be positive.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithOffsetFlushInterval(TimeSpan interval) => new(Options with { OffsetFlushInterval = interval });

    /// <summary>Sets the workers' <c>scheduled.rebalance.max.delay.ms</c>.</summary>
    /// <param name="delay">How long a departed worker's tasks wait before reassignment.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithScheduledRebalanceMaxDelay(TimeSpan delay) => new(Options with { ScheduledRebalanceMaxDelay = delay });

    /// <summary>Sets the workers' group session timeout (how fast a dead worker leaves the Connect group).</summary>
    /// <param name="timeout">The session timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithWorkerSessionTimeout(TimeSpan timeout) => new(Options with { WorkerSessionTimeout = timeout });

    /// <summary>Sets the sink consumers' session timeout (how fast a dead worker's partitions move).</summary>
    /// <param name="timeout">The session timeout; the broker's minimum is 6 s.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithConsumerSessionTimeout(TimeSpan timeout) => new(Options with { ConsumerSessionTimeout = timeout });

    /// <summary>Sets the broker's <c>group.min.session.timeout.ms</c> (Kafka's default is 6 s), so shorter session timeouts are accepted.</summary>
    /// <param name="timeout">The broker's minimum session timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithGroupMinSessionTimeout(TimeSpan timeout) => new(Options with { GroupMinSessionTimeout = timeout });

    /// <summary>Adds a worker property, passed to the Connect containers as a <c>CONNECT_*</c> variable.</summary>
    /// <param name="key">The property name, e.g. <c>task.shutdown.graceful.timeout.ms</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithWorkerProperty(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return new(Options with { WorkerProperties = new Dictionary<string, string>(Options.WorkerProperties, StringComparer.Ordinal) { [key] = value } });
    }

    /// <summary>Sets how long a worker stopping gracefully (a restart) gets after SIGTERM before Docker kills it.</summary>
    /// <param name="timeout">The grace period; zero or more, rounded up to whole seconds.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithWorkerStopTimeout(TimeSpan timeout) => new(Options with { WorkerStopTimeout = timeout });

    /// <summary>Sets the Connect workers' JVM heap settings (<c>KAFKA_HEAP_OPTS</c>).</summary>
    /// <param name="heapOptions">JVM options with at least <c>-Xmx</c>, e.g. <c>-Xms512m -Xmx2g</c>.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithWorkerHeap(string heapOptions) => new(Options with { WorkerHeapOptions = heapOptions });

    /// <summary>Saves every container's log into a folder when the environment is disposed or fails to start.</summary>
    /// <param name="directory">The folder; a sub-folder per environment is created in it.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithContainerLogDirectory(string directory) => new(Options with { ContainerLogDirectory = directory });

    /// <summary>Sets the PostgreSQL image.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithPostgreSqlImage(string image) => new(Options with { PostgreSqlImage = image });

    /// <summary>Sets the MinIO image that serves AutoMQ's object storage (<see cref="KafkaFlavour.AutoMQ"/> only).</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithMinioImage(string image) => new(Options with { MinioImage = image });

    /// <summary>Sets MinIO's root user and password, which AutoMQ uses as its S3 access and secret keys (<see cref="KafkaFlavour.AutoMQ"/> only).</summary>
    /// <param name="user">The root user, at least 3 characters.</param>
    /// <param name="password">The root password, at least 8 characters.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithMinioCredentials(string user, string password) => new(Options with { MinioUser = user, MinioPassword = password });

    /// <summary>Chooses whether the fault proxy sits between connectors and PostgreSQL.</summary>
    /// <param name="enabled">Whether to put the proxy in front of the target.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithTargetProxy(bool enabled) => new(Options with { TargetProxy = enabled });

    /// <summary>Sets how long each container may take to become ready.</summary>
    /// <param name="timeout">The start timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithStartTimeout(TimeSpan timeout) => new(Options with { StartTimeout = timeout });

    /// <summary>Sets how long the Docker engine check may take.</summary>
    /// <param name="timeout">The probe timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithDockerProbeTimeout(TimeSpan timeout) => new(Options with { DockerProbeTimeout = timeout });

    /// <summary>Sets the clock for deadlines.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithTimeProvider(TimeProvider timeProvider) => new(Options with { TimeProvider = timeProvider });

    /// <summary>Checks the options and creates an environment that is not started yet.</summary>
    /// <returns>The environment; call <see cref="DockerEnvironment.StartAsync"/> and dispose it.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public DockerEnvironment Build()
    {
        Options.Validate();
        return new DockerEnvironment(Options);
    }

    /// <summary>Builds and starts an environment.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running environment; dispose it to remove every container.</returns>
    /// <exception cref="DockerUnavailableException">No Docker engine is reachable.</exception>
    /// <exception cref="Environments.EnvironmentStartException">A container failed to start; the message names it.</exception>
    public async Task<DockerEnvironment> StartAsync(CancellationToken cancellationToken = default)
    {
        var environment = Build();
        try
        {
            await environment.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return environment;
    }

    /// <summary>Chooses the broker flavour and image from <see cref="DockerEnvironmentOptions.KafkaFlavourVariable"/> and <see cref="DockerEnvironmentOptions.KafkaImageVariable"/> as <paramref name="variables"/> reads them; an unset variable keeps this builder's choice.</summary>
    /// <param name="variables">Reads a variable by name, e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentException">The flavour variable names no flavour; the message lists the names.</exception>
    public DockerEnvironmentBuilder WithKafkaFrom(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var flavourName = variables(DockerEnvironmentOptions.KafkaFlavourVariable);
        var image = variables(DockerEnvironmentOptions.KafkaImageVariable);
        var flavour = string.IsNullOrWhiteSpace(flavourName)
            ? Options.Flavour
            : KafkaFlavourNames.Parse(flavourName, DockerEnvironmentOptions.KafkaFlavourVariable);
        var chosenImage = string.IsNullOrWhiteSpace(image) ? (flavour == Options.Flavour ? Options.KafkaImage : null) : image.Trim();
        return new(Options with { Flavour = flavour, KafkaImage = chosenImage });
    }
}
