using System.Globalization;
using System.Text;
using SinkIdempotency.Connect;

namespace SinkIdempotency.Testcontainers;

/// <content>AutoMQ and the MinIO container that holds its data; the values follow AutoMQ's single-node compose file (<c>docker/docker-compose.yaml</c> of AutoMQ/automq).</content>
internal static partial class ContainerSettings
{
    /// <summary>MinIO's network alias; AutoMQ's bucket URIs point at it.</summary>
    public const string MinioAlias = "minio";

    /// <summary>MinIO's S3 API port.</summary>
    public const int MinioPort = 9000;

    /// <summary>The path MinIO answers 200 on once it serves requests.</summary>
    public const string MinioReadyPath = "/minio/health/ready";

    /// <summary>The bucket AutoMQ keeps its data and its write-ahead log in.</summary>
    public const string AutoMQDataBucket = "automq-data";

    /// <summary>The bucket AutoMQ keeps its operations data (metrics, logs) in.</summary>
    public const string AutoMQOpsBucket = "automq-ops";

    /// <summary>The region named in the bucket URIs (MinIO accepts any; AutoMQ's compose file uses this one).</summary>
    public const string ObjectStorageRegion = "us-east-1";

    /// <summary>AutoMQ's controller listener port inside its container.</summary>
    public const int AutoMQControllerPort = 9093;

    /// <summary>AutoMQ's node id (a single node holds both the broker and the controller role).</summary>
    public const int AutoMQNodeId = 0;

    /// <summary>AutoMQ's JVM memory settings: the compose file's 1 GB of direct memory (AutoMQ's caches live there) with Kafka's default 1 GB heap instead of the compose file's 4 GB.</summary>
    /// <remarks>
    /// With the compose file's <c>-Xmx4g</c> beside two Connect workers, MinIO and PostgreSQL, the environment does not fit
    /// a 7 GB CI runner. Test traffic needs little heap; this keeps AutoMQ at about 2.3 GB at most.
    /// </remarks>
    public const string AutoMQHeapOptions = "-Xms512m -Xmx1g -XX:MetaspaceSize=96m -XX:MaxDirectMemorySize=1G";

    /// <summary>The start script of the AutoMQ image.</summary>
    public const string AutoMQServerStart = "/opt/automq/kafka/bin/kafka-server-start.sh";

    /// <summary>The KRaft server properties the AutoMQ image ships; the start-up script overrides what differs.</summary>
    public const string AutoMQServerProperties = "/opt/automq/kafka/config/kraft/server.properties";

    /// <summary>The log line a Kafka (and AutoMQ) KRaft server prints once the broker and controller are up.</summary>
    public const string AutoMQReadyLog = "Kafka Server started";

    /// <summary>The mc alias the bucket step gives the MinIO server inside its own container.</summary>
    public const string MinioClientAlias = "local";

    /// <summary>Formats a bucket URI of AutoMQ's <c>s3.*.buckets</c> and <c>s3.wal.path</c> settings: path-style requests to MinIO on the network.</summary>
    /// <param name="index">The bucket's index in the list.</param>
    /// <param name="bucket">The bucket name.</param>
    /// <returns>For example <c>0@s3://automq-data?region=us-east-1&amp;endpoint=http://minio:9000&amp;pathStyle=true</c>.</returns>
    public static string AutoMQBucketUri(int index, string bucket) => string.Create(
        CultureInfo.InvariantCulture,
        $"{index}@s3://{bucket}?region={ObjectStorageRegion}&endpoint=http://{MinioAlias}:{MinioPort}&pathStyle=true");

    /// <summary>Formats a Kafka cluster id (22 characters of URL-safe base64, a UUID's 16 bytes) from a GUID; it never starts with <c>-</c>, which the storage formatter's command line would read as an option.</summary>
    /// <param name="seed">The GUID the bytes come from.</param>
    /// <returns>The cluster id.</returns>
    public static string AutoMQClusterId(Guid seed)
    {
        var bytes = seed.ToByteArray();

        // The first character encodes the top six bits of the first byte; '-' is 62 and '_' 63, so a clear top bit keeps it a letter.
        bytes[0] &= 0x7F;
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Generates MinIO's settings: its root credentials, its alias and its published S3 port.</summary>
    /// <param name="options">The options.</param>
    /// <returns>MinIO's settings.</returns>
    public static ContainerSpec Minio(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(
            options.MinioImage,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["MINIO_ROOT_USER"] = options.MinioUser,
                ["MINIO_ROOT_PASSWORD"] = options.MinioPassword,
                ["MINIO_DOMAIN"] = MinioAlias,
            },
            [MinioAlias],
            [MinioPort])
        {
            // The image's entrypoint puts "minio" in front of these.
            Command = ["server", "/data"],
        };
    }

    /// <summary>Generates the commands run inside the MinIO container once it is ready: register the server with its own client, then create AutoMQ's buckets.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One argument list per command, run in order.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> MinioBucketCommands(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{MinioPort}");
        return
        [
            ["mc", "alias", "set", MinioClientAlias, local, options.MinioUser, options.MinioPassword],
            ["mc", "mb", MinioClientAlias + "/" + AutoMQDataBucket],
            ["mc", "mb", MinioClientAlias + "/" + AutoMQOpsBucket],
        ];
    }

    /// <summary>Formats a command for a report or an error, with MinIO's password hidden.</summary>
    /// <param name="command">The command's arguments.</param>
    /// <returns>The command on one line; the password argument of <c>mc alias set ALIAS URL USER PASSWORD</c> is hidden by its position,
    /// and every argument is redacted by <see cref="SecretRedactor.RedactText"/>.</returns>
    public static string DescribeCommand(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var isAliasSet = command.Count >= 7 && command[0] == "mc" && command[1] == "alias" && command[2] == "set";
        return string.Join(' ', command.Select((argument, index) => isAliasSet && index == 6 ? SecretRedactor.Redacted : SecretRedactor.RedactText(argument)));
    }

    /// <summary>Generates the server properties AutoMQ's start-up script overrides, in order.</summary>
    /// <param name="host">The host name clients on this machine use.</param>
    /// <param name="mappedPort">The host port mapped to <see cref="KafkaHostPort"/>.</param>
    /// <param name="clusterId">The cluster id (<see cref="AutoMQClusterId"/>); AutoMQ formats its storage with it on first start.</param>
    /// <param name="groupMinSessionTimeout">The broker's <c>group.min.session.timeout.ms</c>.</param>
    /// <returns>The properties as key and value.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> AutoMQServerOverrides(string host, int mappedPort, string clusterId, TimeSpan groupMinSessionTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var node = AutoMQNodeId.ToString(CultureInfo.InvariantCulture);
        var controller = string.Create(CultureInfo.InvariantCulture, $"{KafkaAlias}:{AutoMQControllerPort}");
        return
        [
            new("cluster.id", clusterId),
            new("node.id", node),
            new("process.roles", "broker,controller"),
            new("controller.quorum.voters", node + "@" + controller),
            new("controller.quorum.bootstrap.servers", controller),

            // One listener for containers on the network (Connect), one advertised at the host's published port (the harness).
            new("listeners", string.Create(CultureInfo.InvariantCulture, $"INTERNAL://:{KafkaInternalPort},EXTERNAL://:{KafkaHostPort},CONTROLLER://:{AutoMQControllerPort}")),
            new("advertised.listeners", string.Create(CultureInfo.InvariantCulture, $"INTERNAL://{InternalBootstrap},EXTERNAL://{host}:{mappedPort}")),
            new("listener.security.protocol.map", "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            new("inter.broker.listener.name", "INTERNAL"),
            new("controller.listener.names", "CONTROLLER"),

            // AutoMQ's self-balancing client connects through this listener; its examples with renamed listeners set it.
            new("autobalancer.client.listener.name", "INTERNAL"),

            // Object storage: data and write-ahead log in one bucket, operations data in the other.
            new("s3.data.buckets", AutoMQBucketUri(0, AutoMQDataBucket)),
            new("s3.ops.buckets", AutoMQBucketUri(1, AutoMQOpsBucket)),
            new("s3.wal.path", AutoMQBucketUri(0, AutoMQDataBucket)),

            // A single node: the settings the Testcontainers Kafka module gives the other flavours.
            new("offsets.topic.replication.factor", "1"),
            new("offsets.topic.num.partitions", "1"),
            new("transaction.state.log.replication.factor", "1"),
            new("transaction.state.log.min.isr", "1"),
            new("group.initial.rebalance.delay.ms", "0"),
            new("group.min.session.timeout.ms", Milliseconds(groupMinSessionTimeout)),
        ];
    }

    /// <summary>Writes AutoMQ's start-up script: the image's server start with <see cref="AutoMQServerOverrides"/>, each quoted for <c>/bin/sh</c>.</summary>
    /// <param name="host">The host name clients on this machine use.</param>
    /// <param name="mappedPort">The host port mapped to <see cref="KafkaHostPort"/>.</param>
    /// <param name="clusterId">The cluster id.</param>
    /// <param name="groupMinSessionTimeout">The broker's <c>group.min.session.timeout.ms</c>.</param>
    /// <returns>The script text.</returns>
    public static string AutoMQStartupScript(string host, int mappedPort, string clusterId, TimeSpan groupMinSessionTimeout)
    {
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("exec ").Append(ShellQuote(AutoMQServerStart)).Append(' ').Append(ShellQuote(AutoMQServerProperties));
        foreach (var (key, value) in AutoMQServerOverrides(host, mappedPort, clusterId, groupMinSessionTimeout))
        {
            script.Append(" --override ").Append(ShellQuote(key + "=" + value));
        }

        script.Append('\n');
        return script.ToString();
    }

    /// <summary>Quotes one argument for <c>/bin/sh</c>: single quotes, with each <c>'</c> closed, escaped and reopened.</summary>
    /// <param name="argument">The argument.</param>
    /// <returns>The quoted argument.</returns>
    public static string ShellQuote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
