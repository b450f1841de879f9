using System.Globalization;
using Confluent.Kafka;
using Npgsql;
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
    private readonly NpgsqlDataSource _target;
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
        _target = NpgsqlDataSource.Create(environment.Target.ConnectionString);
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
            var result = _environment.Capabilities | EnvironmentCapabilities.ConsumerGroupReset;
            result &= _environment.TargetProxy is null ? ~EnvironmentCapabilities.TargetFaultProxy : ~EnvironmentCapabilities.None;
            result = _offsetsApi ? result | EnvironmentCapabilities.OffsetsApi : result & ~EnvironmentCapabilities.OffsetsApi;
            result = _environment is IWorkerLogReader ? result | EnvironmentCapabilities.WorkerLogs : result;
            return result & ~WithdrawnByKafka;
        }
    }

    // Resets (the consumer group's or the offsets API's, which the worker makes with the same admin calls) need DeleteGroups;
    // a cluster known to lack it cannot replay from the beginning, so both are withdrawn rather than failing halfway.
    private EnvironmentCapabilities WithdrawnByKafka =>
        (_environment as IKafkaClusterInfo)?.KafkaApis is { } apis && !apis.Supports(ApiKey.DeleteGroups)
            ? EnvironmentCapabilities.ConsumerGroupReset | EnvironmentCapabilities.OffsetsApi
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

        var missing = ((IKafkaClusterInfo)_environment).KafkaApis!.Missing(ApiKey.DeleteGroups, ApiKey.OffsetDelete, ApiKey.DescribeGroups);
        return $"The Kafka at {_environment.Kafka.BootstrapServers} does not serve {KafkaApiSupport.Describe(missing)}, so neither a consumer-group reset nor Connect's offsets API can move the connector's offsets there.";
    }

    /// <inheritdoc />
    public TargetFaultProxy? TargetProxy => _environment.TargetProxy;

    /// <inheritdoc />
    public bool UsesScenarioTargetSettings => _environment is IConnectorTargetSettings { UsesScenarioTargetSettings: true };

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
    public async Task<IReadOnlyList<DeadLetterRecord>> ReadDeadLettersAsync(string topic, CancellationToken cancellationToken = default)
    {
        var records = await _probe.ReadDeadLetterTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.ToDeadLetterRecord()).OfType<DeadLetterRecord>()];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeadLetterTopicRecord>?> ReadDeadLetterTopicAsync(string topic, CancellationToken cancellationToken = default) =>
        await _probe.ReadDeadLetterTopicAsync(topic, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetTargetConnectorSettings(bool throughProxy)
    {
        if (_environment is IConnectorTargetSettings own)
        {
            return own.GetConnectorTargetSettings(throughProxy);
        }

        return TargetConnectorSettings(_environment.Target, throughProxy);
    }

    /// <summary>Builds the connector settings that point a sink at <paramref name="target"/>, directly or through the fault proxy.</summary>
    internal static Dictionary<string, string> TargetConnectorSettings(TargetEndpoint target, bool throughProxy)
    {
        var direct = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        // Through the proxy a withheld reply must time out in seconds: socketTimeout, which the JDBC driver and the
        // .NET worker both honour (the worker maps it to Npgsql's command timeout and drops the connection at once).
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connection.url"] = throughProxy
                ? string.Create(CultureInfo.InvariantCulture, $"{target.SinkJdbcUrl}?socketTimeout={ProxyReplyTimeoutSeconds}")
                : string.Create(CultureInfo.InvariantCulture, $"jdbc:postgresql://{target.DirectSinkHost ?? direct.Host}:{target.DirectSinkPort ?? direct.Port}/{direct.Database ?? "postgres"}"),
        };
        if (direct.Username is { } user)
        {
            settings["connection.user"] = user;
        }

        if (direct.Password is { } password)
        {
            settings["connection.password"] = password;
        }

        return settings;
    }

    /// <inheritdoc />
    public ITargetReader OpenTargetReader(PostgreSqlTableMapping mapping) => new MissingTableTolerantReader(new PostgreSqlTableReader(_target, mapping), _target, mapping);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness drops only what a run created.</exception>
    public async Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        EnsureRunScoped("table", table);
        var command = _target.CreateCommand($"DROP TABLE IF EXISTS {Quote(schema)}.{Quote(table)}");
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness changes only what a run created.</exception>
    public async Task AlterTableAsync(string schema, string table, IReadOnlyList<string> alterations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alterations);
        EnsureRunScoped("table", table, "change");
        if (alterations.Count == 0)
        {
            return;
        }

        // A sink holding a transaction open would block the ALTER forever; a lock timeout turns that into an error.
        var connection = await _target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var command = new NpgsqlCommand($"SET LOCAL lock_timeout = '10s'; ALTER TABLE {Quote(schema)}.{Quote(table)} {string.Join(", ", alterations)}", connection, transaction);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

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
        await _target.DisposeAsync().ConfigureAwait(false);
        if (_ownsEnvironment)
        {
            await _environment.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The last line of defence on a team's cluster: whatever a caller passes, nothing outside a run namespace is deleted.
    private static void EnsureRunScoped(string kind, string name, string verb = "delete")
    {
        if (!RunNamespace.IsRunScoped(name))
        {
            throw new InvalidOperationException($"Refusing to {verb} the {kind} '{name}': it is not in a run namespace (si-{{run}}-… or si_{{run}}_…), and the harness {verb}s only what a run created.");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
