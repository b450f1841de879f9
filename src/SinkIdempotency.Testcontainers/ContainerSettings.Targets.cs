using System.Globalization;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Testcontainers;

/// <content>The target stores beyond PostgreSQL, each started the first time a scenario names its kind: MySQL for Confluent's JDBC sink, MinIO (AutoMQ's, when it runs) for Confluent's S3 sink, Elasticsearch for its sink connector.</content>
internal static partial class ContainerSettings
{
    /// <summary>MySQL's network alias.</summary>
    public const string MySqlAlias = "mysql";

    /// <summary>MySQL's port.</summary>
    public const int MySqlPort = 3306;

    /// <summary>The database the mysql image creates (<c>MYSQL_DATABASE</c>); runs create their tables in it.</summary>
    public const string MySqlDatabase = "sinkidempotency";

    /// <summary>The user the mysql image creates with every privilege on <see cref="MySqlDatabase"/> (<c>MYSQL_USER</c>); the sink and the harness use it.</summary>
    public const string MySqlUser = "sink";

    /// <summary>Elasticsearch's network alias.</summary>
    public const string ElasticsearchAlias = "elasticsearch";

    /// <summary>Elasticsearch's HTTP port.</summary>
    public const int ElasticsearchPort = 9200;

    /// <summary>The path that answers 200 once Elasticsearch serves requests.</summary>
    public const string ElasticsearchReadyPath = "/_cluster/health";

    /// <summary>The bucket the <c>s3</c> target's runs write to, each under a folder named as its table.</summary>
    public const string TargetBucket = "sinkidempotency-targets";

    /// <summary>Generates MySQL's settings: the image's <c>MYSQL_*</c> variables (root password, database, the sink's user) and durable commits.</summary>
    /// <param name="options">The options.</param>
    /// <returns>MySQL's settings.</returns>
    public static ContainerSpec MySql(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(
            options.MySqlImage,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["MYSQL_ROOT_PASSWORD"] = options.MySqlPassword,
                ["MYSQL_DATABASE"] = MySqlDatabase,
                ["MYSQL_USER"] = MySqlUser,
                ["MYSQL_PASSWORD"] = options.MySqlPassword,
            },
            [MySqlAlias],
            [MySqlPort])
        {
            // The image's entrypoint passes these to mysqld: an acknowledged commit is on disk, as the known answers assume.
            Command = ["--innodb-flush-log-at-trx-commit=1", "--sync-binlog=1", "--skip-name-resolve"],
        };
    }

    /// <summary>Formats the harness's connection string to MySQL's published port.</summary>
    /// <param name="host">The host the port is published on.</param>
    /// <param name="port">The published port.</param>
    /// <param name="options">The options (the password).</param>
    /// <returns>A MySqlConnector connection string.</returns>
    public static string MySqlConnectionString(string host, int port, DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MySqlConnector.MySqlConnectionStringBuilder
        {
            Server = host,
            Port = (uint)port,
            Database = MySqlDatabase,
            UserID = MySqlUser,
            Password = options.MySqlPassword,
            SslMode = MySqlConnector.MySqlSslMode.None,
            AllowPublicKeyRetrieval = true,
        }.ConnectionString;
    }

    /// <summary>Generates Elasticsearch's settings: one node, security off (plain HTTP on the private network), a small heap.</summary>
    /// <param name="options">The options.</param>
    /// <returns>Elasticsearch's settings.</returns>
    public static ContainerSpec Elasticsearch(DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContainerSpec(
            options.ElasticsearchImage,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["discovery.type"] = "single-node",
                ["xpack.security.enabled"] = "false",
                ["ES_JAVA_OPTS"] = "-Xms512m -Xmx512m",

                // A full disk on a CI runner would otherwise turn every index read-only mid-run.
                ["cluster.routing.allocation.disk.threshold_enabled"] = "false",
            },
            [ElasticsearchAlias],
            [ElasticsearchPort]);
    }

    /// <summary>Gets the address connectors reach a container's HTTP port at on the network.</summary>
    /// <param name="alias">The container's alias.</param>
    /// <param name="port">The port inside the network.</param>
    /// <returns><c>http://alias:port/</c>.</returns>
    public static Uri NetworkUrl(string alias, int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://{alias}:{port}/"));

    /// <summary>Describes how the harness reaches MinIO through its published port, with MinIO's root credentials.</summary>
    /// <param name="host">The host the port is published on.</param>
    /// <param name="port">The published port.</param>
    /// <param name="options">The options (MinIO's credentials).</param>
    /// <returns>The S3 connection.</returns>
    public static S3Connection MinioConnection(string host, int port, DockerEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new S3Connection(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/")), ObjectStorageRegion, options.MinioUser, options.MinioPassword);
    }
}
