using System.Globalization;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Lifecycle;
using SinkIdempotency.Proxy;
using Testcontainers.PostgreSql;

namespace SinkIdempotency.Testcontainers;

/// <summary>Runs real Kafka, Kafka Connect workers and PostgreSQL in Docker containers on one network, with the target fault proxy on this machine between the connectors and PostgreSQL.</summary>
/// <remarks>
/// Containers reach each other by alias (<c>kafka</c>, <c>connect-1</c>…, <c>postgres</c>, and <c>minio</c> for AutoMQ) and the proxy as
/// <c>host.testcontainers.internal</c>; the harness reaches Kafka, the workers' REST APIs and PostgreSQL through
/// published ports. Workers are killed with SIGKILL through the Docker API. Disposing removes every container and the network.
/// </remarks>
public sealed partial class DockerEnvironment : IStartableSinkEnvironment, IWorkerLogReader, IEnvironmentProvenance
{
    private readonly DockerEnvironmentOptions _options;
    private readonly Lock _gate = new();
    private readonly List<ConnectWorker> _workers = [];
    private readonly LifecycleGate _lifecycle = new("The docker environment is already started; build a new one to run another.");
    private readonly string _clusterId = "sinkidempotency-" + Guid.NewGuid().ToString("N")[..12];
    private INetwork? _network;
    private readonly string _kafkaClusterId = ContainerSettings.AutoMQClusterId(Guid.NewGuid());
    private IContainer? _kafka;
    private IContainer? _objectStorage;
    private PostgreSqlContainer? _postgreSql;
    private TargetFaultProxy? _proxy;
    private string? _connectImage;
    private readonly ContainerFreezer _freezer = new(new DockerEngineSignals());
    private int _workerSequence;
    private IReadOnlyList<string> _provenanceNotes = [];
    private IReadOnlyList<string> _provenanceWarnings = [];

    internal DockerEnvironment(DockerEnvironmentOptions options) => _options = options;

    /// <summary>Gets the environment's name, which carries the broker image so scorecards of different flavours tell themselves apart: <c>docker (apache/kafka:4.1.1)</c>.</summary>
    public string Name => $"docker ({_options.EffectiveKafkaImage})";

    /// <summary>Gets every ability a Docker environment can have (the target fault proxy only when enabled); broker faults are not among them: real Kafka brokers cannot be told to fail a request.</summary>
    public static EnvironmentCapabilities ServableCapabilities =>
        EnvironmentCapabilities.KillWorker | EnvironmentCapabilities.AddWorker | EnvironmentCapabilities.RestartWorker | EnvironmentCapabilities.FreezeWorker
        | EnvironmentCapabilities.TargetFaultProxy;

    /// <inheritdoc/>
    public EnvironmentCapabilities Capabilities =>
        _options.TargetProxy ? ServableCapabilities : ServableCapabilities & ~EnvironmentCapabilities.TargetFaultProxy;

    /// <summary>Gets the options the environment was built with.</summary>
    public DockerEnvironmentOptions Options => _options;

    /// <summary>Gets the Connect cluster id (the workers' <c>group.id</c>, prefix of their internal topics); unique per environment.</summary>
    public string ClusterId => _clusterId;

    /// <summary>Gets the Connect image the workers run (built from the Dockerfile, or the pre-built one given).</summary>
    /// <exception cref="InvalidOperationException">The environment is not started.</exception>
    public string ConnectImage => _connectImage ?? throw NotStarted();

    /// <inheritdoc/>
    public KafkaEndpoint Kafka
    {
        get
        {
            var kafka = _kafka ?? throw NotStarted();
            return new KafkaEndpoint(string.Create(
                CultureInfo.InvariantCulture,
                $"{ConnectWorker.HostFor(kafka.Hostname)}:{kafka.GetMappedPublicPort(ContainerSettings.KafkaHostPort)}"));
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<Uri> ConnectUrls
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Where(w => w.IsRunning).Select(w => w.RestUrl)];
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The harness reads PostgreSQL through its published port; connectors reach it through the proxy (<c>host.testcontainers.internal</c>) or, bypassing it, as <c>postgres:5432</c>.</remarks>
    public TargetEndpoint Target
    {
        get
        {
            var postgreSql = _postgreSql ?? throw NotStarted();
            var direct = new Npgsql.NpgsqlConnectionStringBuilder(postgreSql.GetConnectionString())
            {
                Host = ConnectWorker.HostFor(postgreSql.Hostname),
            };
            return ContainerSettings.Target(direct.ConnectionString, _proxy?.Port);
        }
    }

    /// <inheritdoc/>
    public TargetFaultProxy? TargetProxy => _proxy;

    /// <inheritdoc/>
    /// <value>One note per connector archive the Connect image's build installed (read from the image once the first worker runs): its SHA-256 and the pin that verified it, or that none did.</value>
    public IReadOnlyList<string> ProvenanceNotes
    {
        get
        {
            lock (_gate)
            {
                return _provenanceNotes;
            }
        }
    }

    /// <inheritdoc/>
    /// <value>One warning per archive installed without a pin (<see cref="DockerEnvironmentOptions.AllowUnpinnedConnectorArchives"/>), with the digest to check and the line to pin.</value>
    public IReadOnlyList<string> ProvenanceWarnings
    {
        get
        {
            lock (_gate)
            {
                return _provenanceWarnings;
            }
        }
    }

    /// <summary>Checks that Docker answers, then starts the network, Kafka (for AutoMQ, MinIO and its buckets first), PostgreSQL, the proxy and the workers; on failure removes what started, in reverse order.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when every part is ready.</returns>
    /// <exception cref="DockerUnavailableException">No Docker engine is reachable; nothing was created.</exception>
    /// <exception cref="EnvironmentStartException">A part failed to start; the message names it.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.StartAsync(
            this,
            async token =>
            {
                await DockerProbe.EnsureAvailableAsync(_options.DockerProbeTimeout, token).ConfigureAwait(false);
                EnsureConnectImageBuildable();
                await EnvironmentStartException.StartOrStopAllAsync(Name, StartPartsAsync, StopPartsAsync, token).ConfigureAwait(false);
            },
            rollback: null,
            cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        List<(string, Uri, bool, int?)> known;
        lock (_gate)
        {
            known = [.. _workers.Select(w => (w.WorkerId, w.IsRunning ? w.RestUrl : new Uri($"http://{w.WorkerId}/"), w.IsRunning, (int?)null))];
        }

        return await WorkerTaskMap.ListAsync(known, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var worker = await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
        return new WorkerInfo(worker.WorkerId, worker.RestUrl, true, null, [], []);
    }

    /// <inheritdoc/>
    /// <remarks>Sends SIGKILL through the Docker API (<c>docker kill</c>) and waits until the container has exited.</remarks>
    public async Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        ConnectWorker worker;
        lock (_gate)
        {
            worker = _workers.LastOrDefault(w => w.WorkerId == workerId && w.IsRunning)
                ?? throw new InvalidOperationException($"No running worker '{workerId}' in this environment; running workers: {string.Join(", ", _workers.Where(w => w.IsRunning).Select(w => w.WorkerId))}.");
            worker.IsRunning = false;
        }

        // A paused (frozen) worker dies without running again on engines that allow it; see ContainerFreezer.
        await _freezer.KillAsync(worker.Container.Id, cancellationToken).ConfigureAwait(false);
        using var client = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder().Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        await client.Containers.WaitContainerAsync(worker.Container.Id, deadline.Token).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Stops the container gracefully (SIGTERM, then SIGKILL after Docker's grace period) and starts the same container again: same alias, same worker id, a new published port.</remarks>
    public async Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        ConnectWorker worker;
        lock (_gate)
        {
            worker = _workers.LastOrDefault(w => w.WorkerId == workerId)
                ?? throw new InvalidOperationException($"No worker '{workerId}' in this environment; known workers: {string.Join(", ", _workers.Select(w => w.WorkerId))}.");
            worker.IsRunning = false;
        }

        await worker.Container.StopAsync(cancellationToken).ConfigureAwait(false);
        await worker.Container.StartAsync(cancellationToken).ConfigureAwait(false);
        await WaitForRestAsync(worker, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            worker.IsRunning = true;
        }

        return new WorkerInfo(worker.WorkerId, worker.RestUrl, true, null, [], []);
    }

    /// <inheritdoc/>
    /// <remarks>Reads the container's standard output and error (across restarts of the same container) and hides passwords; an unknown worker id has no log.</remarks>
    public async Task<IReadOnlyList<string>> ReadWorkerLogAsync(string workerId, int maxLines, CancellationToken cancellationToken = default)
    {
        ConnectWorker? worker;
        lock (_gate)
        {
            worker = _workers.LastOrDefault(w => w.WorkerId == workerId);
        }

        // A worker id the status API reports but this environment never started has no container to read.
        if (worker is null)
        {
            return [];
        }

        var (stdout, stderr) = await worker.Container.GetLogsAsync(ct: cancellationToken).ConfigureAwait(false);
        return RedactLog(stdout + stderr, maxLines);
    }

    /// <summary>Stops the workers, the proxy, PostgreSQL, Kafka and AutoMQ's MinIO, and removes the containers and the network.</summary>
    /// <returns>A task that completes when nothing of the environment runs any more.</returns>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync(async () =>
    {
        await _freezer.ThawAllAsync(CancellationToken.None).ConfigureAwait(false);
        await StopPartsAsync().ConfigureAwait(false);
    });

    /// <summary>Splits a log into its last lines with passwords hidden.</summary>
    internal static List<string> RedactLog(string log, int maxLines) =>
        [.. log.Split('\n').Select(l => SecretRedactor.RedactText(l.TrimEnd('\r'))).Where(l => l.Length > 0).TakeLast(Math.Max(0, maxLines))];

    private static InvalidOperationException NotStarted() =>
        new("The docker environment is not started; call StartAsync (or DockerEnvironmentBuilder.StartAsync) first.");

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_lifecycle.IsDisposed, this);
        if (_kafka is null)
        {
            throw NotStarted();
        }
    }
}
