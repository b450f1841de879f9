using System.Globalization;
using SinkIdempotency.Environments;

namespace SinkIdempotency.Testcontainers;

/// <summary>Configures a <see cref="DockerEnvironment"/>; build it with <see cref="DockerEnvironmentBuilder"/>.</summary>
public sealed record DockerEnvironmentOptions : WorkerEnvironmentOptions
{
    /// <summary>Names the environment variable holding a pre-built Connect image to use instead of building <c>docker/connect/Dockerfile</c>.</summary>
    public const string ConnectImageVariable = "SINKIDEMPOTENCY_CONNECT_IMAGE";

    /// <summary>Names the environment variable that chooses the broker flavour for <see cref="DockerEnvironmentBuilder.WithKafkaFromEnvironmentVariables"/>: one of <see cref="KafkaFlavourNames.All"/>.</summary>
    public const string KafkaFlavourVariable = "SINKIDEMPOTENCY_KAFKA_FLAVOUR";

    /// <summary>Names the environment variable that overrides the broker image for <see cref="DockerEnvironmentBuilder.WithKafkaFromEnvironmentVariables"/>.</summary>
    public const string KafkaImageVariable = "SINKIDEMPOTENCY_KAFKA_IMAGE";

    /// <summary>Names the environment variable holding a mirror of the Connect image's archives (one folder URL holding every archive the <c>docker/connect/*.sha256</c> files name: the JDBC, S3 and Elasticsearch sinks and MySQL's Connector/J) for building the Connect image; the checksums are still checked.</summary>
    public const string ConnectorBaseUrlVariable = "SINKIDEMPOTENCY_CONNECTOR_BASE_URL";

    /// <summary>Names the environment variable that, when <c>1</c>, lets the Connect image's build install archives whose <c>docker/connect/*.sha256</c> file pins no checksum (as <see cref="AllowUnpinnedConnectorArchives"/> does).</summary>
    public const string AllowUnpinnedConnectorsVariable = "SINKIDEMPOTENCY_ALLOW_UNPINNED_CONNECTORS";

    /// <summary>The folder inside Connect containers under which user plugin folders are placed.</summary>
    public const string PluginRoot = "/usr/share/plugins";

    /// <summary>Gets the broker flavour.</summary>
    /// <value>The default is <see cref="KafkaFlavour.Apache"/>.</value>
    public KafkaFlavour Flavour { get; init; } = KafkaFlavour.Apache;

    /// <summary>Gets the broker image, or <see langword="null"/> for the flavour's pinned image (<see cref="DockerImages.DefaultKafkaImage"/>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? KafkaImage { get; init; }

    /// <summary>Gets a pre-built Connect image, or <see langword="null"/> to build <see cref="ConnectDockerfileDirectory"/> (or use <see cref="ConnectImageVariable"/> when set).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectImage { get; init; }

    /// <summary>Gets the folder holding the Connect <c>Dockerfile</c>, or <see langword="null"/> to look for the repository's <c>docker/connect</c> above the working folder and the harness.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectDockerfileDirectory { get; init; }

    /// <summary>Gets a value indicating whether the Connect image's build may install archives whose <c>docker/connect/*.sha256</c> file pins no checksum yet (<see cref="AllowUnpinnedConnectorsVariable"/>=<c>1</c> does the same).</summary>
    /// <value>
    /// The default is <see langword="false"/>: an unpinned archive stops the start before anything is built, with a message
    /// naming each archive and the ways out. With <see langword="true"/> the build installs it, prints its SHA-256, and every
    /// run records that digest in its evidence and lists the archive among its warnings. An archive whose checksum differs
    /// from its pin is never installed.
    /// </value>
    public bool AllowUnpinnedConnectorArchives { get; init; }

    /// <summary>Gets folders with Kafka Connect plugins (jars) copied into every worker under <see cref="PluginRoot"/>, one sub-folder each.</summary>
    /// <value>The default is empty: the image's plugins only (the Confluent JDBC sink for the built image).</value>
    public IReadOnlyList<string> PluginFolders { get; init; } = [];

    /// <summary>Gets the workers' <c>scheduled.rebalance.max.delay.ms</c>: how long a departed worker's tasks wait before they are reassigned.</summary>
    /// <value>The default is 2 seconds (Connect's default is 5 minutes, during which a killed worker's tasks run nowhere).</value>
    public TimeSpan ScheduledRebalanceMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the broker's <c>group.min.session.timeout.ms</c>: the shortest session a worker or consumer may ask for.</summary>
    /// <value>The default is 6 seconds, Kafka's default; lower it to use shorter session timeouts, as the known answers do.</value>
    public TimeSpan GroupMinSessionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Gets the PostgreSQL image.</summary>
    /// <value>The default is <see cref="DockerImages.PostgreSql"/>.</value>
    public string PostgreSqlImage { get; init; } = DockerImages.PostgreSql;

    /// <summary>Gets the PostgreSQL password (the user and database are <c>postgres</c>).</summary>
    /// <value>The default is <c>postgres</c>.</value>
    public string PostgreSqlPassword { get; init; } = "postgres";

    /// <summary>Gets the MySQL image started the first time a scenario names <c>target.kind</c> <c>mysql</c>.</summary>
    /// <value>The default is <see cref="DockerImages.MySql"/>.</value>
    public string MySqlImage { get; init; } = DockerImages.MySql;

    /// <summary>Gets the MySQL password of the root user and of the sink's user (<see cref="ContainerSettings.MySqlUser"/>); never reported.</summary>
    /// <value>The default is <c>mysql-sink</c>.</value>
    public string MySqlPassword { get; init; } = "mysql-sink";

    /// <summary>Gets the Elasticsearch image started the first time a scenario names <c>target.kind</c> <c>elasticsearch</c>; an OpenSearch image that answers the same REST API may be given instead.</summary>
    /// <value>The default is <see cref="DockerImages.Elasticsearch"/>.</value>
    public string ElasticsearchImage { get; init; } = DockerImages.Elasticsearch;

    /// <summary>Gets the MinIO image that serves AutoMQ's object storage and the <c>s3</c> target.</summary>
    /// <value>The default is <see cref="DockerImages.Minio"/>.</value>
    public string MinioImage { get; init; } = DockerImages.Minio;

    /// <summary>Gets MinIO's root user, which AutoMQ also uses as its S3 access key (used only by <see cref="KafkaFlavour.AutoMQ"/>).</summary>
    /// <value>The default is <c>minioadmin</c>, as in AutoMQ's compose file.</value>
    public string MinioUser { get; init; } = "minioadmin";

    /// <summary>Gets MinIO's root password, which AutoMQ also uses as its S3 secret key (used only by <see cref="KafkaFlavour.AutoMQ"/>); never reported.</summary>
    /// <value>The default is <c>minioadmin</c>, as in AutoMQ's compose file.</value>
    public string MinioPassword { get; init; } = "minioadmin";

    /// <summary>Gets how long a container may take to become ready (the Connect image build not included).</summary>
    /// <value>The default is 3 minutes.</value>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets the Connect workers' JVM heap settings (<c>KAFKA_HEAP_OPTS</c>).</summary>
    /// <value>The default is <c>-Xms256m -Xmx768m</c>: enough for the JDBC sink at test volumes, and small enough that two workers, the broker and PostgreSQL fit a 7 GB CI runner (the image's own default allows 2 GB per worker).</value>
    public string WorkerHeapOptions { get; init; } = ContainerSettings.DefaultWorkerHeapOptions;

    /// <summary>Gets the folder where every container's log is saved when the environment is disposed or fails to start, one file per container, passwords hidden; <see langword="null"/> to keep none.</summary>
    /// <value>The default is <see langword="null"/>. The Docker test suite and <c>sink-idempotency run --env docker</c> set it inside their results folder, so CI can keep the logs after Testcontainers removed the containers.</value>
    public string? ContainerLogDirectory { get; init; }

    /// <summary>Gets how long the check for a Docker engine may take before the engine counts as unreachable.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan DockerProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the broker image in use: <see cref="KafkaImage"/>, or the flavour's pinned image.</summary>
    /// <value>An image name with its tag.</value>
    public string EffectiveKafkaImage => KafkaImage ?? DockerImages.DefaultKafkaImage(Flavour);

    /// <summary>Checks the options and throws an exception naming the option to change.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public override void Validate()
    {
        if (!Enum.IsDefined(Flavour))
        {
            throw new ArgumentOutOfRangeException(nameof(Flavour), Flavour, "DockerEnvironmentOptions.Flavour must be Apache, Confluent, Redpanda or AutoMQ.");
        }

        RequireImage(KafkaImage, nameof(KafkaImage));
        RequireImage(MinioImage, nameof(MinioImage));

        // MinIO refuses to start with a root user shorter than 3 characters or a password shorter than 8.
        if (MinioUser is null || MinioUser.Length < 3 || MinioUser.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("DockerEnvironmentOptions.MinioUser must be at least 3 characters without spaces: MinIO refuses a shorter root user.", nameof(MinioUser));
        }

        if (MinioPassword is null || MinioPassword.Length < 8 || MinioPassword.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("DockerEnvironmentOptions.MinioPassword must be at least 8 characters without spaces: MinIO refuses a shorter root password.", nameof(MinioPassword));
        }

        RequireImage(ConnectImage, nameof(ConnectImage));
        if (string.IsNullOrWhiteSpace(WorkerHeapOptions) || !WorkerHeapOptions.Contains("-Xmx", StringComparison.Ordinal))
        {
            throw new ArgumentException($"DockerEnvironmentOptions.WorkerHeapOptions '{WorkerHeapOptions}' sets no maximum heap; give JVM options with -Xmx, e.g. {ContainerSettings.DefaultWorkerHeapOptions}.", nameof(WorkerHeapOptions));
        }

        if (ContainerLogDirectory is not null && string.IsNullOrWhiteSpace(ContainerLogDirectory))
        {
            throw new ArgumentException("DockerEnvironmentOptions.ContainerLogDirectory is blank; give a folder, or null to keep no container logs.", nameof(ContainerLogDirectory));
        }

        RequireImage(PostgreSqlImage, nameof(PostgreSqlImage));
        RequireImage(MySqlImage, nameof(MySqlImage));
        RequireImage(ElasticsearchImage, nameof(ElasticsearchImage));
        if (string.IsNullOrEmpty(MySqlPassword) || MySqlPassword.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("DockerEnvironmentOptions.MySqlPassword must be a non-empty password without spaces.", nameof(MySqlPassword));
        }

        if (Workers is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "DockerEnvironmentOptions.Workers must be between 1 and 16: scenarios need at least one Connect worker.");
        }

        Positive(OffsetFlushInterval, nameof(OffsetFlushInterval));
        Positive(ScheduledRebalanceMaxDelay, nameof(ScheduledRebalanceMaxDelay), allowZero: true);
        Positive(StartTimeout, nameof(StartTimeout));
        Positive(WorkerStopTimeout, nameof(WorkerStopTimeout), allowZero: true);
        Positive(DockerProbeTimeout, nameof(DockerProbeTimeout));
        Positive(GroupMinSessionTimeout, nameof(GroupMinSessionTimeout));
        if (WorkerSessionTimeout is { } worker)
        {
            Positive(worker, nameof(WorkerSessionTimeout));
            AtLeastBrokerMinimum(worker, nameof(WorkerSessionTimeout));
        }

        if (ConsumerSessionTimeout is { } consumer)
        {
            Positive(consumer, nameof(ConsumerSessionTimeout));
            AtLeastBrokerMinimum(consumer, nameof(ConsumerSessionTimeout));
        }

        if (ConnectDockerfileDirectory is not null && !File.Exists(Path.Combine(ConnectDockerfileDirectory, "Dockerfile")))
        {
            throw new ArgumentException($"DockerEnvironmentOptions.ConnectDockerfileDirectory '{ConnectDockerfileDirectory}' holds no Dockerfile; point it at the repository's docker/connect.", nameof(ConnectDockerfileDirectory));
        }

        ArgumentNullException.ThrowIfNull(PluginFolders);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in PluginFolders)
        {
            if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
            {
                throw new ArgumentException($"DockerEnvironmentOptions.PluginFolders: the plugin folder '{folder}' does not exist.", nameof(PluginFolders));
            }

            if (!names.Add(PluginFolderName(folder)))
            {
                throw new ArgumentException($"DockerEnvironmentOptions.PluginFolders: two plugin folders are named '{PluginFolderName(folder)}'; each is copied to {PluginRoot}/<folder name>, so names must differ.", nameof(PluginFolders));
            }
        }

        ArgumentNullException.ThrowIfNull(WorkerProperties);
        foreach (var key in WorkerProperties.Keys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            {
                throw new ArgumentException($"DockerEnvironmentOptions.WorkerProperties: '{key}' is not a worker property name (letters, digits, '.', '_', '-').", nameof(WorkerProperties));
            }
        }

        ArgumentException.ThrowIfNullOrEmpty(PostgreSqlPassword);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    /// <summary>Returns the sub-folder of <see cref="PluginRoot"/> a plugin folder is copied to.</summary>
    /// <param name="folder">The plugin folder on this machine.</param>
    /// <returns>The folder's own name.</returns>
    public static string PluginFolderName(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
    }

    /// <summary>Formats the options for a report, with the PostgreSQL password hidden.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"docker: kafka {EffectiveKafkaImage} ({Flavour}), {Workers} Connect worker(s) from {ConnectImage ?? "docker/connect/Dockerfile"}, postgres {PostgreSqlImage} (password {Connect.SecretRedactor.Redacted}){(Flavour == KafkaFlavour.AutoMQ ? $", object storage {MinioImage} (user {MinioUser}, password {Connect.SecretRedactor.Redacted})" : string.Empty)}, offset flush {OffsetFlushInterval.TotalMilliseconds:0} ms, target proxy {(TargetProxy ? "on" : "off")}{(AllowUnpinnedConnectorArchives ? ", unpinned connector archives allowed" : string.Empty)}");

    private static void RequireImage(string? image, string name)
    {
        if (image is not null && (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException($"DockerEnvironmentOptions.{name} '{image}' is not an image name; give repository[:tag], e.g. {DockerImages.ApacheKafka}.", name);
        }
    }

    private void AtLeastBrokerMinimum(TimeSpan session, string name)
    {
        if (session < GroupMinSessionTimeout)
        {
            throw new ArgumentOutOfRangeException(name, session, $"DockerEnvironmentOptions.{name} ({session.TotalMilliseconds:0} ms) is below the broker's group.min.session.timeout.ms ({GroupMinSessionTimeout.TotalMilliseconds:0} ms), which would reject the group join; lower GroupMinSessionTimeout too.");
        }
    }

    private static void Positive(TimeSpan value, string name, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(name, value, $"DockerEnvironmentOptions.{name} must be {(allowZero ? "zero or positive" : "positive")}.");
        }
    }
}
