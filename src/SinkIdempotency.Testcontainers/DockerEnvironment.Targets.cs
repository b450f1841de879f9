using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using SinkIdempotency.Environments;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets;
using SinkIdempotency.Targets.ObjectStore;
using SinkIdempotency.Timing;

namespace SinkIdempotency.Testcontainers;

/// <content>Targets beyond PostgreSQL for the real connectors, each container started on the network the first time a scenario names its kind: MySQL (Confluent's JDBC sink), MinIO (Confluent's S3 sink; AutoMQ's own MinIO when the flavour runs one) and Elasticsearch (its sink connector).</content>
public sealed partial class DockerEnvironment : ISinkTargetHost
{
    private const string Where = "in the Docker environment";
    private readonly SemaphoreSlim _targetStart = new(1, 1);
    private readonly Dictionary<string, Exception> _targetFailures = new(StringComparer.Ordinal);
    private IContainer? _mySql;
    private IContainer? _targetObjectStorage;
    private IContainer? _elasticsearch;
    private bool _targetBucketCreated;

    /// <inheritdoc/>
    public IReadOnlyList<string> TargetKinds { get; } = [ScenarioTarget.MySqlKind, ScenarioTarget.S3Kind, ScenarioTarget.ElasticsearchKind];

    /// <inheritdoc/>
    /// <remarks>
    /// The connectors reach each store by its alias on the network, without the target fault proxy (which forwards only
    /// PostgreSQL), so the targets refuse the failure cases that act on the proxy. A start that failed fails every later call
    /// with the same error: the container is not retried behind a run's back.
    /// </remarks>
    public async Task<ISinkTarget> OpenTargetAsync(string kind, CancellationToken cancellationToken = default)
    {
        if (!TargetKinds.Contains(kind, StringComparer.Ordinal))
        {
            throw new NotSupportedException($"The {Name} environment serves the {ScenarioTarget.PostgreSqlKind}, {string.Join(", ", TargetKinds)} targets, not '{kind}'; the files and HTTP targets are the embedded worker's reference sinks (--env embedded).");
        }

        EnsureStarted();
        await _targetStart.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_targetFailures.TryGetValue(kind, out var failure))
            {
                throw new EnvironmentStartException(Name, TargetPart(kind), failure);
            }

            try
            {
                return kind switch
                {
                    ScenarioTarget.MySqlKind => await OpenMySqlAsync(cancellationToken).ConfigureAwait(false),
                    ScenarioTarget.S3Kind => await OpenS3Async(cancellationToken).ConfigureAwait(false),
                    _ => await OpenElasticsearchAsync(cancellationToken).ConfigureAwait(false),
                };
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not EnvironmentStartException)
            {
                _targetFailures[kind] = ex;
                throw new EnvironmentStartException(Name, TargetPart(kind), ex);
            }
        }
        finally
        {
            _targetStart.Release();
        }
    }

    private static string TargetPart(string kind) => kind switch
    {
        ScenarioTarget.MySqlKind => "MySQL target",
        ScenarioTarget.S3Kind => "S3 target (MinIO)",
        _ => "Elasticsearch target",
    };

    private async Task<ISinkTarget> OpenMySqlAsync(CancellationToken cancellationToken)
    {
        if (_mySql is null)
        {
            var spec = ContainerSettings.MySql(_options);
            var container = TargetContainer(spec).WithCommand([.. spec.Command]).Build();
            _mySql = container;
            await container.StartAsync(cancellationToken).ConfigureAwait(false);

            // The image's first start runs a temporary server without networking while it creates the database and user: ready is a query over TCP.
            var connectionString = ContainerSettings.MySqlConnectionString(ConnectWorker.HostFor(container.Hostname), container.GetMappedPublicPort(ContainerSettings.MySqlPort), _options);
            await Poll.UntilOrThrowAsync(
                _options.TimeProvider,
                "MySQL to accept the sink user's connections",
                async token =>
                {
                    try
                    {
                        var connection = new MySqlConnector.MySqlConnection(connectionString);
                        await using (connection.ConfigureAwait(false))
                        {
                            await connection.OpenAsync(token).ConfigureAwait(false);
                            return true;
                        }
                    }
                    catch (MySqlConnector.MySqlException)
                    {
                        return false;
                    }
                },
                _options.StartTimeout,
                TimeSpan.FromMilliseconds(500),
                cancellationToken).ConfigureAwait(false);
        }

        var direct = ContainerSettings.MySqlConnectionString(ConnectWorker.HostFor(_mySql.Hostname), _mySql.GetMappedPublicPort(ContainerSettings.MySqlPort), _options);
        return SinkTargets.MySql(direct, ContainerSettings.MySqlAlias, ContainerSettings.MySqlPort, Where);
    }

    private async Task<ISinkTarget> OpenS3Async(CancellationToken cancellationToken)
    {
        // AutoMQ's MinIO is already on the network under the alias the sink needs; other flavours get one of their own.
        var minio = _objectStorage ?? _targetObjectStorage;
        if (minio is null)
        {
            var spec = ContainerSettings.Minio(_options);
            var container = TargetContainer(spec, ContainerSettings.MinioReadyPath).WithCommand([.. spec.Command]).Build();
            _targetObjectStorage = container;
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            minio = container;
        }

        var connection = ContainerSettings.MinioConnection(ConnectWorker.HostFor(minio.Hostname), minio.GetMappedPublicPort(ContainerSettings.MinioPort), _options);
        if (!_targetBucketCreated)
        {
            using var client = new S3Client(connection, _options.TimeProvider);
            await client.CreateBucketAsync(ContainerSettings.TargetBucket, cancellationToken).ConfigureAwait(false);
            _targetBucketCreated = true;
        }

        return SinkTargets.S3(connection, ContainerSettings.TargetBucket, ContainerSettings.NetworkUrl(ContainerSettings.MinioAlias, ContainerSettings.MinioPort), Where);
    }

    private async Task<ISinkTarget> OpenElasticsearchAsync(CancellationToken cancellationToken)
    {
        if (_elasticsearch is null)
        {
            var container = TargetContainer(ContainerSettings.Elasticsearch(_options), ContainerSettings.ElasticsearchReadyPath).Build();
            _elasticsearch = container;
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        var harness = new Uri($"http://{ConnectWorker.HostFor(_elasticsearch.Hostname)}:{_elasticsearch.GetMappedPublicPort(ContainerSettings.ElasticsearchPort)}/");
        return SinkTargets.Elasticsearch(harness, ContainerSettings.NetworkUrl(ContainerSettings.ElasticsearchAlias, ContainerSettings.ElasticsearchPort), Where);
    }

    // A store on the network under its alias, its port published to a random host port, ready when readyPath answers 200 (or, without one, when started).
    private ContainerBuilder TargetContainer(ContainerSpec spec, string? readyPath = null)
    {
        var port = spec.Ports[0];
        var builder = new ContainerBuilder(spec.Image)
            .WithNetwork(_network)
            .WithNetworkAliases([.. spec.NetworkAliases])
            .WithEnvironment(spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            .WithPortBinding(port, assignRandomHostPort: true);
        return readyPath is null
            ? builder
            : builder.WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(
                r => r.ForPort((ushort)port).ForPath(readyPath),
                o => o.WithTimeout(_options.StartTimeout)));
    }

    // The target containers started so far, with the file each one's log is saved to.
    private List<(string File, IContainer Container)> TargetContainers()
    {
        var containers = new List<(string File, IContainer Container)>();
        foreach (var (alias, container) in new[] { (ContainerSettings.MySqlAlias, _mySql), ("target-" + ContainerSettings.MinioAlias, _targetObjectStorage), (ContainerSettings.ElasticsearchAlias, _elasticsearch) })
        {
            if (container is not null)
            {
                containers.Add((ContainerSettings.ContainerLogFile(alias), container));
            }
        }

        return containers;
    }

    // Removes the target containers; called with the other parts' disposal, before the network goes.
    private async Task StopTargetContainersAsync(Func<Func<ValueTask>, Task> collect)
    {
        await Task.WhenAll(
            collect(() => _mySql?.DisposeAsync() ?? ValueTask.CompletedTask),
            collect(() => _targetObjectStorage?.DisposeAsync() ?? ValueTask.CompletedTask),
            collect(() => _elasticsearch?.DisposeAsync() ?? ValueTask.CompletedTask)).ConfigureAwait(false);
    }
}
