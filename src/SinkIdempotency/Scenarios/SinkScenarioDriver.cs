using Confluent.Kafka;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Connect;
using SinkIdempotency.Environments;
using SinkIdempotency.Kafka;
using SinkIdempotency.Proxy;
using SinkIdempotency.Reconciliation;
using SinkIdempotency.Targets;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Scenarios;

/// <summary>Drives scenarios on an <see cref="ISinkEnvironment"/> (embedded, Docker or external) through its Kafka endpoint, its Connect REST API and its PostgreSQL target.</summary>
/// <remarks>
/// Kafka operations go through <see cref="KafkaProbe"/>, Connect operations through <see cref="ConnectRestClient"/> against the
/// first running worker, and the target is read directly (never through the fault proxy). Offsets are reset through the
/// consumer group unless the Connect cluster serves the offsets API (Kafka Connect 3.6+), which the caller declares or
/// <see cref="CreateAsync"/> asks the environment. Built by <see cref="SinkEnvironmentExtensions.CreateScenarioDriverAsync"/>.
/// </remarks>
internal sealed partial class SinkScenarioDriver : IScenarioDriver
{
    private readonly ISinkEnvironment _environment;
    private readonly bool _ownsEnvironment;
    private readonly bool _offsetsApi;
    private readonly KafkaProbe _probe;
    private readonly Dictionary<string, Task<ISinkTarget>> _targets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<Uri, ConnectRestClient> _clients = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<int>> _partitions = new(StringComparer.Ordinal);

    /// <summary>The seconds after which a sink connected through the fault proxy gives up waiting for a reply.</summary>
    public const int ProxyReplyTimeoutSeconds = 3;

    /// <summary>Initializes a driver over a started environment.</summary>
    /// <param name="environment">The started environment.</param>
    /// <param name="ownsEnvironment">Whether disposing the driver disposes the environment too.</param>
    /// <param name="offsetsApi">Whether the Connect cluster serves the KIP-875 offsets API (<c>PATCH</c>/<c>DELETE /connectors/{name}/offsets</c>).</param>
    public SinkScenarioDriver(ISinkEnvironment environment, bool ownsEnvironment = false, bool offsetsApi = false)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _ownsEnvironment = ownsEnvironment;
        _offsetsApi = offsetsApi;
        _probe = environment.CreateKafkaProbe();
    }

    /// <summary>Creates a driver, asking the environment (<see cref="ISinkEnvironment.SupportsOffsetsApiAsync"/>) whether its Connect cluster serves the offsets API.</summary>
    /// <param name="environment">The started environment.</param>
    /// <param name="ownsEnvironment">Whether disposing the driver disposes the environment too.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <returns>The driver; replays reset offsets through the offsets API when the cluster is Kafka Connect 3.6 or later, through the consumer group otherwise.</returns>
    public static async Task<SinkScenarioDriver> CreateAsync(ISinkEnvironment environment, bool ownsEnvironment = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool offsetsApi;
        try
        {
            offsetsApi = await environment.SupportsOffsetsApiAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (ownsEnvironment)
        {
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SinkScenarioDriver(environment, ownsEnvironment, offsetsApi);
    }

    /// <inheritdoc />
    public ISinkEnvironment Environment => _environment;

    /// <inheritdoc />
    public string Name => _environment.Name;

    /// <inheritdoc />
    public EnvironmentCapabilities Capabilities
    {
        get
        {
            var result = _environment.Capabilities | EnvironmentCapabilities.ConsumerGroupReset | EnvironmentCapabilities.DeleteRecords;
            result &= _environment.TargetProxy is null ? ~EnvironmentCapabilities.TargetFaultProxy : ~EnvironmentCapabilities.None;
            result = _offsetsApi ? result | EnvironmentCapabilities.OffsetsApi : result & ~EnvironmentCapabilities.OffsetsApi;
            result = _environment is IWorkerLogReader ? result | EnvironmentCapabilities.WorkerLogs : result;
            return result & ~WithdrawnByKafka;
        }
    }

    // Resets (the consumer group's or the offsets API's, which the worker makes with the same admin calls) need DeleteGroups;
    // a cluster known to lack it cannot replay from the beginning, so both are withdrawn rather than failing halfway.
    // DeleteRecords is withdrawn on a cluster known not to serve it (librdkafka's mock cluster, some managed services).
    private EnvironmentCapabilities WithdrawnByKafka =>
        (_environment as IKafkaClusterInfo)?.KafkaApis is { } apis
            ? (apis.Supports(ApiKey.DeleteGroups) ? EnvironmentCapabilities.None : EnvironmentCapabilities.ConsumerGroupReset | EnvironmentCapabilities.OffsetsApi)
                | (apis.Supports(ApiKey.DeleteRecords) ? EnvironmentCapabilities.None : EnvironmentCapabilities.DeleteRecords)
            : EnvironmentCapabilities.None;

    /// <inheritdoc />
    public string? ExplainMissingCapabilities(Faults.Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var withdrawn = WithdrawnByKafka;
        if (withdrawn == EnvironmentCapabilities.None || fault.MissingCapabilityReason(Capabilities | withdrawn) is not null)
        {
            return null;
        }

        if (fault.MissingCapabilityReason(Capabilities | (withdrawn & EnvironmentCapabilities.DeleteRecords)) is null)
        {
            return $"The Kafka at {_environment.Kafka.BootstrapServers} does not serve DeleteRecords, so the history a failure case deletes cannot be cut there.";
        }

        var missing = ((IKafkaClusterInfo)_environment).KafkaApis!.Missing(ApiKey.DeleteGroups, ApiKey.OffsetDelete, ApiKey.DescribeGroups);
        return $"The Kafka at {_environment.Kafka.BootstrapServers} does not serve {KafkaApiSupport.Describe(missing)}, so neither a consumer-group reset nor Connect's offsets API can move the connector's offsets there.";
    }

    /// <inheritdoc />
    /// <remarks>Through the environment's topic admin when its cluster does not make topics with CreateTopics (see <see cref="IKafkaClusterInfo"/>).</remarks>
    public Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        _partitions.TryRemove(topic, out _);
        return (_environment as IKafkaClusterInfo)?.TopicAdmin is { } admin
            ? admin.CreateTopicAsync(topic, partitions, null, cancellationToken)
            : _probe.CreateTopicAsync(topic, partitions, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The topic is not in a run namespace; the harness deletes only what a run created.</exception>
    public Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default)
    {
        EnsureRunScoped("topic", topic);
        _partitions.TryRemove(topic, out _);
        return (_environment as IKafkaClusterInfo)?.TopicAdmin is { } admin
            ? admin.DeleteTopicAsync(topic, cancellationToken)
            : _probe.DeleteTopicsAsync([topic], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<SourcePartition, long>> GetEndOffsetsAsync(string topic, CancellationToken cancellationToken = default) =>
        _probe.GetEndOffsetsAsync(topic, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<SourcePartition, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default)
    {
        // A run's topic keeps its partitions, so they are read once; each partition is then named in the request (see KafkaProbe).
        if (!_partitions.TryGetValue(topic, out var partitions))
        {
            partitions = await _probe.GetPartitionsAsync(topic, cancellationToken).ConfigureAwait(false);
            _partitions[topic] = partitions;
        }

        return await _probe.GetCommittedOffsetsAsync(groupId, topic, partitions, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Empty (the owners cannot be told) on a cluster known not to serve DescribeGroups.</remarks>
    public Task<IReadOnlyDictionary<SourcePartition, string>> GetPartitionOwnersAsync(string groupId, CancellationToken cancellationToken = default) =>
        (_environment as IKafkaClusterInfo)?.KafkaApis is { } apis && !apis.Supports(ApiKey.DescribeGroups)
            ? Task.FromResult<IReadOnlyDictionary<SourcePartition, string>>(new Dictionary<SourcePartition, string>())
            : _probe.GetPartitionOwnersAsync(groupId, cancellationToken);

    /// <inheritdoc />
    /// <remarks><see langword="null"/> (rebalances go unobserved) on a cluster known not to serve DescribeGroups.</remarks>
    public async Task<IReadOnlyList<ConsumerGroupMember>?> DescribeGroupMembersAsync(string groupId, CancellationToken cancellationToken = default) =>
        (_environment as IKafkaClusterInfo)?.KafkaApis is { } apis && !apis.Supports(ApiKey.DescribeGroups)
            ? null
            : await _probe.DescribeGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task ResetConsumerGroupAsync(string groupId, IReadOnlyDictionary<SourcePartition, long>? offsets, CancellationToken cancellationToken = default)
    {
        EnsureRunScoped("consumer group", groupId);
        using var admin = new AdminClientBuilder(_environment.Kafka.Configure(new AdminClientConfig(), "sinkidempotency-replay-admin")).Build();
        if (offsets is null)
        {
            await admin.DeleteGroupsAsync([groupId]).WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var partitions = offsets.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)).ToList();
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(groupId, partitions)]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The topic is not in a run namespace, or the cluster refused the deletion.</exception>
    public Task<IReadOnlyDictionary<SourcePartition, long>> DeleteRecordsBeforeAsync(string topic, IReadOnlyDictionary<SourcePartition, long> offsets, CancellationToken cancellationToken = default)
    {
        EnsureRunScoped("topic", topic, "delete records of");
        ArgumentNullException.ThrowIfNull(offsets);
        return _probe.DeleteRecordsBeforeAsync(offsets.Where(p => p.Key.Topic == topic).ToDictionary(), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Assessment.TopicRetention?> GetTopicRetentionAsync(string topic, CancellationToken cancellationToken = default) =>
        await _probe.GetTopicRetentionAsync(topic, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterRecord>> ReadDeadLettersAsync(string topic, CancellationToken cancellationToken = default)
    {
        var records = await _probe.ReadDeadLetterTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.ToDeadLetterRecord()).OfType<DeadLetterRecord>()];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterTopicRecord>?> ReadDeadLetterTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        await _probe.ReadDeadLetterTopicAsync(topic, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>PostgreSQL from <see cref="ISinkEnvironment.Target"/> (with the environment's own settings when it has them, <see cref="IConnectorTargetSettings"/>); other kinds from an environment that serves them (<see cref="ISinkTargetHost"/>).</remarks>
    public Task<ISinkTarget> GetTargetAsync(string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        Task<ISinkTarget> opening;
        lock (_gate)
        {
            if (!_targets.TryGetValue(kind, out opening!) || opening.IsFaulted || opening.IsCanceled)
            {
                opening = OpenTargetAsync(kind, cancellationToken);
                _targets[kind] = opening;
            }
        }

        return opening.WaitAsync(cancellationToken);
    }

    private Task<ISinkTarget> OpenTargetAsync(string kind, CancellationToken cancellationToken)
    {
        if (kind == ScenarioTarget.PostgreSqlKind)
        {
            return Task.FromResult<ISinkTarget>(new PostgreSqlSinkTarget(_environment.Target, _environment.TargetProxy, _environment as IConnectorTargetSettings));
        }

        if (_environment is ISinkTargetHost host && host.TargetKinds.Contains(kind, StringComparer.Ordinal))
        {
            return host.OpenTargetAsync(kind, cancellationToken);
        }

        var served = _environment is ISinkTargetHost other ? [ScenarioTarget.PostgreSqlKind, .. other.TargetKinds] : new[] { ScenarioTarget.PostgreSqlKind };
        return Task.FromException<ISinkTarget>(new NotSupportedException(
            $"The {_environment.Name} environment serves the target kind(s) {string.Join(", ", served)}, not '{kind}'; {WhereToRun(kind)}, or choose target.kind {ScenarioTarget.PostgreSqlKind}."));
    }

    // Names the environment that serves a kind: real connectors' stores run in Docker, the reference sinks' targets on this machine.
    private static string WhereToRun(string kind) => kind switch
    {
        ScenarioTarget.S3Kind => $"run it on the Docker environment (--env docker), which starts MinIO for target.kind {ScenarioTarget.S3Kind} (Confluent's S3 sink)",
        ScenarioTarget.ElasticsearchKind => $"run it on the Docker environment (--env docker), which starts Elasticsearch for target.kind {ScenarioTarget.ElasticsearchKind} (Elasticsearch's sink connector)",
        _ => $"run it on the embedded environment (--env embedded), which starts a local MariaDB for target.kind {ScenarioTarget.MySqlKind}, serves folders for {ScenarioTarget.FilesAppendKind} and {ScenarioTarget.FilesDeterministicKind} and an HTTP API for {ScenarioTarget.HttpPlainKind} and {ScenarioTarget.HttpIdempotencyKeyKind}; the Docker environment (--env docker) serves {ScenarioTarget.MySqlKind}, {ScenarioTarget.S3Kind} and {ScenarioTarget.ElasticsearchKind}",
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }

        _probe.Dispose();
        List<Task<ISinkTarget>> targets;
        lock (_gate)
        {
            targets = [.. _targets.Values];
            _targets.Clear();
        }

        foreach (var opening in targets.Where(t => t.IsCompletedSuccessfully))
        {
            await opening.Result.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsEnvironment)
        {
            await _environment.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void EnsureRunScoped(string kind, string name, string verb = "delete") => RunNamespace.EnsureRunScoped(kind, name, verb);
}
