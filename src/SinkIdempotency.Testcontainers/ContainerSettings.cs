using System.Globalization;
using System.Text;
using SinkIdempotency.Environments;
using SinkIdempotency.Proxy;
using SinkIdempotency.Testcontainers.Vendors;

namespace SinkIdempotency.Testcontainers;

/// <summary>Generates every container's settings from the options: the broker per flavour, the Connect workers and PostgreSQL.</summary>
internal static partial class ContainerSettings
{
    /// <summary>The broker's network alias.</summary>
    public const string KafkaAlias = "kafka";

    /// <summary>The broker's listener for containers on the network.</summary>
    public const int KafkaInternalPort = 19092;

    /// <summary>The broker's listener published to the host (the Testcontainers Kafka module's <c>PLAINTEXT</c> port).</summary>
    public const int KafkaHostPort = 9092;

    /// <summary>PostgreSQL's network alias.</summary>
    public const string PostgreSqlAlias = "postgres";

    /// <summary>PostgreSQL's port.</summary>
    public const int PostgreSqlPort = 5432;

    /// <summary>The Connect REST port inside worker containers.</summary>
    public const int ConnectRestPort = 8083;

    /// <summary>The host name containers reach the harness's machine by (Testcontainers' host port exposure).</summary>
    public const string HostAlias = "host.testcontainers.internal";

    /// <summary>The script Redpanda's and AutoMQ's entrypoints wait for; it is written once the host port is known.</summary>
    public const string StartupScriptPath = "/testcontainers.sh";

    /// <summary>The memory Redpanda may use (<c>--memory</c>), as the Testcontainers Redpanda module gives it.</summary>
    public const string RedpandaMemory = "1G";

    /// <summary>Redpanda's cluster property for the shortest session a group member may ask for.</summary>
    public const string RedpandaSessionProperty = "group_min_session_timeout_ms";

    /// <summary>The log line Redpanda prints when its Kafka API is up.</summary>
    public const string RedpandaReadyLog = "Successfully started Redpanda!";

    /// <summary>The Testcontainers variable that prefixes Docker Hub image names with a registry mirror.</summary>
    public const string HubImageNamePrefixVariable = "TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX";

    /// <summary>The base image of <c>docker/connect/Dockerfile</c> (its <c>CP_IMAGE</c> argument), without the tag.</summary>
    public const string ConnectBaseImage = "confluentinc/cp-kafka-connect";

    /// <summary>The Connect workers' default JVM heap (<see cref="DockerEnvironmentOptions.WorkerHeapOptions"/>).</summary>
    public const string DefaultWorkerHeapOptions = "-Xms256m -Xmx768m";

    /// <summary>Gets the bootstrap address Connect containers use.</summary>
    public static string InternalBootstrap => $"{KafkaAlias}:{KafkaInternalPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets PostgreSQL's arguments that switch durability back on; the module's own <c>-c fsync=off …</c> come first and PostgreSQL keeps the last value of a repeated <c>-c</c>.</summary>
    public static IReadOnlyList<string> PostgreSqlDurabilityCommand { get; } =
        ["-c", "fsync=on", "-c", "full_page_writes=on", "-c", "synchronous_commit=on"];

    /// <summary>Generates the broker's settings for the chosen flavour (its <see cref="IKafkaVendor"/>).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The broker's settings.</returns>
    public static ContainerSpec Kafka(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return KafkaVendors.For(options.Flavour).Broker(options);
    }

    /// <summary>Writes Redpanda's start-up script: one internal listener for containers, one external listener advertised at the host's mapped port.</summary>
    /// <param name="host">The host name clients on this machine use.</param>
    /// <param name="mappedPort">The host port mapped to <see cref="KafkaHostPort"/>.</param>
    /// <returns>The script text.</returns>
    public static string RedpandaStartupScript(string host, int mappedPort) => RedpandaStartupScript(host, mappedPort, TimeSpan.FromSeconds(6));

    /// <summary>Writes Redpanda's start-up script with the broker's minimum group session timeout.</summary>
    /// <param name="host">The host name clients on this machine use.</param>
    /// <param name="mappedPort">The host port mapped to <see cref="KafkaHostPort"/>.</param>
    /// <param name="groupMinSessionTimeout">The broker's <c>group_min_session_timeout_ms</c>.</param>
    /// <returns>The script text.</returns>
    public static string RedpandaStartupScript(string host, int mappedPort, TimeSpan groupMinSessionTimeout)
    {
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append(CultureInfo.InvariantCulture, $"exec /entrypoint.sh redpanda start --mode dev-container --smp 1 --memory {RedpandaMemory}")
            .Append(CultureInfo.InvariantCulture, $" --kafka-addr internal://0.0.0.0:{KafkaInternalPort},external://0.0.0.0:{KafkaHostPort}")
            .Append(CultureInfo.InvariantCulture, $" --advertise-kafka-addr internal://{KafkaAlias}:{KafkaInternalPort},external://{host}:{mappedPort}")
            .Append(CultureInfo.InvariantCulture, $" --set redpanda.group_min_session_timeout_ms={Milliseconds(groupMinSessionTimeout)}\n");
        return script.ToString();
    }

    /// <summary>Generates the <c>rpk</c> commands run in the Redpanda container once it is up: set the cluster's minimum group session timeout, then read it back.</summary>
    /// <remarks>
    /// <c>--set redpanda.group_min_session_timeout_ms</c> on the command line reaches the cluster only through the
    /// first-start import of <c>redpanda.yaml</c>; the cluster property is set through the admin API here, and read back so
    /// a broker that ignored it stops the start (<see cref="CheckRedpandaSessionSetting"/>) instead of rejecting group joins later.
    /// </remarks>
    /// <param name="groupMinSessionTimeout">The broker's minimum group session timeout.</param>
    /// <returns>The set command, then the get command.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> RedpandaSessionCommands(TimeSpan groupMinSessionTimeout) =>
    [
        ["rpk", "cluster", "config", "set", RedpandaSessionProperty, Milliseconds(groupMinSessionTimeout)],
        ["rpk", "cluster", "config", "get", RedpandaSessionProperty],
    ];

    /// <summary>Checks what <c>rpk cluster config get</c> printed against the value that was set.</summary>
    /// <param name="output">The command's standard output.</param>
    /// <param name="groupMinSessionTimeout">The value that was set.</param>
    /// <returns><see langword="null"/> when it matches; otherwise the error to report.</returns>
    public static string? CheckRedpandaSessionSetting(string output, TimeSpan groupMinSessionTimeout)
    {
        ArgumentNullException.ThrowIfNull(output);
        var expected = Milliseconds(groupMinSessionTimeout);
        var actual = output.Trim();
        return actual == expected
            ? null
            : $"Redpanda's {RedpandaSessionProperty} reads '{actual}' after 'rpk cluster config set' to {expected}: the broker would reject the sessions the workers ask for; check the image ({nameof(DockerEnvironmentOptions.KafkaImage)}) supports the property.";
    }

    /// <summary>Gets the network alias of worker <paramref name="number"/>.</summary>
    /// <param name="number">The worker number, from 1.</param>
    /// <returns><c>connect-N</c>.</returns>
    public static string ConnectAlias(int number) => "connect-" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the worker id Connect reports for worker <paramref name="number"/> (its advertised REST host and port).</summary>
    /// <param name="number">The worker number, from 1.</param>
    /// <returns><c>connect-N:8083</c>.</returns>
    public static string ConnectWorkerId(int number) => ConnectAlias(number) + ":" + ConnectRestPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Generates a Connect worker's settings: the Confluent image's <c>CONNECT_*</c> variables, its heap, its alias, its REST port, the plugin folders copied in and its stop timeout.</summary>
    /// <param name="options">The options.</param>
    /// <param name="image">The Connect image.</param>
    /// <param name="clusterId">The Connect group id; internal topics are named after it.</param>
    /// <param name="number">The worker number, from 1.</param>
    /// <returns>The worker's settings.</returns>
    public static ContainerSpec Connect(DockerEnvironmentOptions options, string image, string clusterId, int number)
    {
        ArgumentNullException.ThrowIfNull(options);
        var alias = ConnectAlias(number);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CONNECT_BOOTSTRAP_SERVERS"] = InternalBootstrap,
            ["CONNECT_GROUP_ID"] = clusterId,
            ["CONNECT_CONFIG_STORAGE_TOPIC"] = clusterId + "-configs",
            ["CONNECT_OFFSET_STORAGE_TOPIC"] = clusterId + "-offsets",
            ["CONNECT_STATUS_STORAGE_TOPIC"] = clusterId + "-status",
            ["CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR"] = "1",
            ["CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR"] = "1",
            ["CONNECT_STATUS_STORAGE_REPLICATION_FACTOR"] = "1",
            ["CONNECT_KEY_CONVERTER"] = "org.apache.kafka.connect.storage.StringConverter",
            ["CONNECT_VALUE_CONVERTER"] = "org.apache.kafka.connect.json.JsonConverter",
            ["CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE"] = "true",
            ["CONNECT_REST_ADVERTISED_HOST_NAME"] = alias,
            ["CONNECT_REST_PORT"] = ConnectRestPort.ToString(CultureInfo.InvariantCulture),
            ["CONNECT_PLUGIN_PATH"] = "/usr/share/java,/usr/share/confluent-hub-components," + DockerEnvironmentOptions.PluginRoot,
            ["CONNECT_OFFSET_FLUSH_INTERVAL_MS"] = Milliseconds(options.OffsetFlushInterval),
            ["CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS"] = Milliseconds(options.ScheduledRebalanceMaxDelay),

            // Read by Kafka's connect-distributed script (the image's default is -Xms256M -Xmx2G).
            ["KAFKA_HEAP_OPTS"] = options.WorkerHeapOptions,
        };
        if (options.WorkerSessionTimeout is { } worker)
        {
            environment["CONNECT_SESSION_TIMEOUT_MS"] = Milliseconds(worker);
            environment["CONNECT_HEARTBEAT_INTERVAL_MS"] = Milliseconds(Heartbeat(worker));
        }

        if (options.ConsumerSessionTimeout is { } consumer)
        {
            environment["CONNECT_CONSUMER_SESSION_TIMEOUT_MS"] = Milliseconds(consumer);
            environment["CONNECT_CONSUMER_HEARTBEAT_INTERVAL_MS"] = Milliseconds(Heartbeat(consumer));
        }

        foreach (var (key, value) in options.WorkerProperties)
        {
            environment[ConnectVariable(key)] = value;
        }

        var folders = options.PluginFolders
            .Select(folder => (Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), DockerEnvironmentOptions.PluginRoot + "/" + DockerEnvironmentOptions.PluginFolderName(folder)))
            .ToList();
        return new ContainerSpec(image, environment, [alias], [ConnectRestPort])
        {
            CopiedFolders = folders,
            StopTimeoutSeconds = (int)Math.Ceiling(options.WorkerStopTimeout.TotalSeconds),
        };
    }

    /// <summary>Generates the target fault proxy's options: it runs on this machine and forwards to PostgreSQL's published port.</summary>
    /// <param name="postgreSqlHost">The host PostgreSQL's port is published on.</param>
    /// <param name="postgreSqlPort">The published port.</param>
    /// <param name="options">The environment's options (the clock).</param>
    /// <returns>The proxy's options.</returns>
    public static TargetFaultProxyOptions TargetProxy(string postgreSqlHost, int postgreSqlPort, DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TargetFaultProxyOptions { TargetHost = postgreSqlHost, TargetPort = postgreSqlPort, TimeProvider = options.TimeProvider };
    }

    /// <summary>Describes the target: the harness reads PostgreSQL directly; connectors go through the proxy as <see cref="HostAlias"/> (Testcontainers' host port forwarding), or to <c>postgres:5432</c> without one.</summary>
    /// <param name="directConnectionString">The Npgsql connection string of PostgreSQL's published port.</param>
    /// <param name="proxyPort">The proxy's port on this machine, or <see langword="null"/> without a proxy.</param>
    /// <returns>The target endpoint.</returns>
    public static TargetEndpoint Target(string directConnectionString, int? proxyPort) =>
        proxyPort is { } port
            ? new TargetEndpoint(directConnectionString, HostAlias, port) { DirectSinkHost = PostgreSqlAlias, DirectSinkPort = PostgreSqlPort }
            : new TargetEndpoint(directConnectionString, PostgreSqlAlias, PostgreSqlPort) { DirectSinkHost = PostgreSqlAlias, DirectSinkPort = PostgreSqlPort };

    /// <summary>The Connect Dockerfile's arguments naming the folder URL each archive is downloaded from.</summary>
    public static IReadOnlyList<string> ConnectArchiveBaseUrlArguments { get; } =
        ["CONNECTOR_BASE_URL", "MYSQL_DRIVER_BASE_URL", "S3_CONNECTOR_BASE_URL", "ELASTICSEARCH_CONNECTOR_BASE_URL"];

    /// <summary>Tells whether the Connect image's build may install archives no pin verifies: the option, or <see cref="DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable"/> set to <c>1</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="variables">Reads an environment variable by name.</param>
    /// <returns>Whether the user opted in.</returns>
    public static bool AllowsUnpinnedConnectors(DockerEnvironmentOptions options, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(variables);
        return options.AllowUnpinnedConnectorArchives || variables(DockerEnvironmentOptions.AllowUnpinnedConnectorsVariable)?.Trim() == "1";
    }

    /// <summary>Generates the build arguments of <c>docker/connect/Dockerfile</c>: a Docker Hub mirror for its base image, a mirror folder for every archive, and the opt-in to archives no pin verifies.</summary>
    /// <remarks>
    /// Testcontainers puts <c>TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX</c> in front of the images it pulls, but the engine
    /// resolves a Dockerfile's <c>FROM</c> itself; the base image's name is therefore passed as <c>CP_IMAGE</c>. The mirror
    /// folder serves all four archives (the JDBC, S3 and Elasticsearch sinks and Connector/J), each still checked against its pin.
    /// </remarks>
    /// <param name="options">The options (<see cref="DockerEnvironmentOptions.AllowUnpinnedConnectorArchives"/>).</param>
    /// <param name="variables">Reads an environment variable by name.</param>
    /// <returns>The build arguments to pass; empty when nothing is configured.</returns>
    public static IReadOnlyDictionary<string, string> ConnectBuildArguments(DockerEnvironmentOptions options, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(variables);
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variables(HubImageNamePrefixVariable) is { Length: > 0 } prefix && prefix.Trim('/') is { Length: > 0 } trimmed)
        {
            arguments["CP_IMAGE"] = trimmed + "/" + ConnectBaseImage;
        }

        if (variables(DockerEnvironmentOptions.ConnectorBaseUrlVariable) is { Length: > 0 } baseUrl)
        {
            foreach (var argument in ConnectArchiveBaseUrlArguments)
            {
                arguments[argument] = baseUrl.TrimEnd('/');
            }
        }

        if (AllowsUnpinnedConnectors(options, variables))
        {
            arguments[ConnectImageRecipe.AllowUnpinnedBuildArgument] = "1";
        }

        return arguments;
    }

    /// <summary>Names the file a container's log is saved to.</summary>
    /// <param name="alias">The container's network alias (<c>kafka</c>, <c>connect-1</c>, <c>postgres</c>, <c>minio</c>).</param>
    /// <returns>For example <c>connect-1.log</c>.</returns>
    public static string ContainerLogFile(string alias) => alias + ".log";

    /// <summary>Hides secrets in a container's log, line by line, by their shape (<see cref="SinkIdempotency.Connect.SecretRedactor.RedactText"/>: <c>password=…</c>, URL credentials, …), never by searching for a known value.</summary>
    /// <param name="log">The log text.</param>
    /// <returns>The log, safe to keep as CI evidence.</returns>
    public static string RedactContainerLog(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return string.Join('\n', log.Split('\n').Select(line => SinkIdempotency.Connect.SecretRedactor.RedactText(line.TrimEnd('\r'))));
    }

    /// <summary>Maps a worker property to the Confluent image's variable: <c>CONNECT_</c>, upper case, <c>.</c> → <c>_</c>, <c>_</c> → <c>__</c>, <c>-</c> → <c>___</c>.</summary>
    /// <param name="property">The worker property, e.g. <c>consumer.session.timeout.ms</c>.</param>
    /// <returns>The variable, e.g. <c>CONNECT_CONSUMER_SESSION_TIMEOUT_MS</c>.</returns>
    public static string ConnectVariable(string property)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(property);
        var name = new StringBuilder("CONNECT_");
        foreach (var c in property)
        {
            name.Append(c switch
            {
                '.' => "_",
                '_' => "__",
                '-' => "___",
                _ => char.ToUpperInvariant(c).ToString(),
            });
        }

        return name.ToString();
    }

    private static TimeSpan Heartbeat(TimeSpan session) =>
        TimeSpan.FromMilliseconds(Math.Max(100, (long)session.TotalMilliseconds / 6));

    /// <summary>Gets the entrypoint command that waits for <see cref="StartupScriptPath"/> and runs it.</summary>
    /// <returns>The <c>/bin/sh -c</c> command.</returns>
    public static string WaitForStartupScript() => $"while [ ! -f {StartupScriptPath} ]; do sleep 0.1; done; exec {StartupScriptPath}";

    /// <summary>Formats a duration as whole milliseconds, as Kafka settings take it.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The milliseconds, invariant culture.</returns>
    public static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
