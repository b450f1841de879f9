using SinkIdempotency.Environments;

namespace SinkIdempotency.Testcontainers;

/// <summary>Builds a <see cref="DockerEnvironment"/> immutably: every <c>With…</c> returns a new builder and leaves this one unchanged.</summary>
/// <example><code>await using var env = await new DockerEnvironmentBuilder().WithWorkers(2).WithOffsetFlushInterval(TimeSpan.FromSeconds(1)).StartAsync();</code></example>
public sealed class DockerEnvironmentBuilder : WorkerEnvironmentBuilder<DockerEnvironmentBuilder, DockerEnvironment, DockerEnvironmentOptions>
{
    /// <summary>Initializes a new instance of the <see cref="DockerEnvironmentBuilder"/> class with the defaults of <see cref="DockerEnvironmentOptions"/>.</summary>
    public DockerEnvironmentBuilder()
        : this(new DockerEnvironmentOptions())
    {
    }

    private DockerEnvironmentBuilder(DockerEnvironmentOptions options)
        : base(options)
    {
    }

    /// <summary>Chooses the broker flavour and, optionally, its image.</summary>
    /// <param name="flavour">The flavour.</param>
    /// <param name="image">The image, or <see langword="null"/> for the flavour's pinned image.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithKafka(KafkaFlavour flavour, string? image = null) => new(Options with { Flavour = flavour, KafkaImage = image });

    /// <summary>Chooses the broker flavour and image from <see cref="DockerEnvironmentOptions.KafkaFlavourVariable"/> and <see cref="DockerEnvironmentOptions.KafkaImageVariable"/>; an unset variable keeps this builder's choice, so a CI matrix can run one suite against every flavour.</summary>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentException">The flavour variable names no flavour; the message lists the names.</exception>
    public DockerEnvironmentBuilder WithKafkaFromEnvironmentVariables() => WithKafkaFrom(Environment.GetEnvironmentVariable);

    /// <summary>Uses a pre-built Connect image instead of building <c>docker/connect/Dockerfile</c>.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithConnectImage(string image) => new(Options with { ConnectImage = image });

    /// <summary>Lets the Connect image's build install archives whose <c>docker/connect/*.sha256</c> file pins no checksum yet; each one's SHA-256 is recorded in every run's evidence and warnings.</summary>
    /// <param name="allow">Whether to allow them.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithUnpinnedConnectorArchivesAllowed(bool allow = true) => new(Options with { AllowUnpinnedConnectorArchives = allow });

    /// <summary>Sets the folder holding the Connect <c>Dockerfile</c> to build.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithConnectDockerfileDirectory(string directory) => new(Options with { ConnectDockerfileDirectory = directory });

    /// <summary>Adds a folder of Kafka Connect plugins copied into every worker under <c>/usr/share/plugins/&lt;folder name&gt;</c>.</summary>
    /// <param name="folder">The folder on this machine.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithPluginFolder(string folder) => new(Options with { PluginFolders = [.. Options.PluginFolders, folder] });

    /// <summary>Sets the workers' <c>scheduled.rebalance.max.delay.ms</c>.</summary>
    /// <param name="delay">How long a departed worker's tasks wait before reassignment.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithScheduledRebalanceMaxDelay(TimeSpan delay) => new(Options with { ScheduledRebalanceMaxDelay = delay });

    /// <summary>Sets the broker's <c>group.min.session.timeout.ms</c> (Kafka's default is 6 s), so shorter session timeouts are accepted.</summary>
    /// <param name="timeout">The broker's minimum session timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithGroupMinSessionTimeout(TimeSpan timeout) => new(Options with { GroupMinSessionTimeout = timeout });

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

    /// <summary>Sets the MySQL image of the <c>mysql</c> target.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithMySqlImage(string image) => new(Options with { MySqlImage = image });

    /// <summary>Sets the Elasticsearch (or OpenSearch) image of the <c>elasticsearch</c> target.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithElasticsearchImage(string image) => new(Options with { ElasticsearchImage = image });

    /// <summary>Sets the MinIO image that serves AutoMQ's object storage and the <c>s3</c> target.</summary>
    /// <param name="image">The image name with its tag.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithMinioImage(string image) => new(Options with { MinioImage = image });

    /// <summary>Sets MinIO's root user and password, which AutoMQ uses as its S3 access and secret keys (<see cref="KafkaFlavour.AutoMQ"/> only).</summary>
    /// <param name="user">The root user, at least 3 characters.</param>
    /// <param name="password">The root password, at least 8 characters.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithMinioCredentials(string user, string password) => new(Options with { MinioUser = user, MinioPassword = password });

    /// <summary>Sets how long each container may take to become ready.</summary>
    /// <param name="timeout">The start timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithStartTimeout(TimeSpan timeout) => new(Options with { StartTimeout = timeout });

    /// <summary>Sets how long the Docker engine check may take.</summary>
    /// <param name="timeout">The probe timeout.</param>
    /// <returns>A new builder.</returns>
    public DockerEnvironmentBuilder WithDockerProbeTimeout(TimeSpan timeout) => new(Options with { DockerProbeTimeout = timeout });

    /// <inheritdoc/>
    protected override DockerEnvironmentBuilder Clone(DockerEnvironmentOptions options) => new(options);

    /// <inheritdoc/>
    protected override DockerEnvironment Create(DockerEnvironmentOptions options) => new(options);

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
