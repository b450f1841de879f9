using Confluent.Kafka;
using Confluent.Kafka.Admin;
using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <summary>Drives and observes a Kafka cluster for the harness: creates topics, produces workloads into a ledger, reads end and committed offsets and dead-letter topics.</summary>
/// <remarks>Works against any Kafka-compatible cluster (the embedded broker, containers, an external cluster) through Confluent.Kafka.</remarks>
public sealed partial class KafkaProbe : IDisposable
{
    private readonly KafkaEndpoint _endpoint;
    private readonly KafkaProbeOptions _options;
    private readonly Lazy<IAdminClient> _admin;

    /// <summary>Initializes a new instance of the <see cref="KafkaProbe"/> class; no connection is made until the first call.</summary>
    /// <param name="endpoint">The cluster to reach.</param>
    /// <param name="options">Timeouts and clock; defaults when <see langword="null"/>.</param>
    public KafkaProbe(KafkaEndpoint endpoint, KafkaProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint.BootstrapServers);
        _endpoint = endpoint;
        _options = options ?? new KafkaProbeOptions();
        _options.Validate();
        _admin = new Lazy<IAdminClient>(() => new AdminClientBuilder(_endpoint.Configure(new AdminClientConfig(), "sinkidempotency-probe-admin")).Build());
    }

    /// <summary>Gets the cluster this probe talks to.</summary>
    public KafkaEndpoint Endpoint => _endpoint;

    /// <summary>Creates a topic; fails when it already exists, because the harness only works on topics it created.</summary>
    /// <param name="topic">The topic name (carry a run id in it).</param>
    /// <param name="partitions">The number of partitions.</param>
    /// <param name="replicationFactor">The replication factor, or -1 for the broker's default.</param>
    /// <param name="configs">Topic configs, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the topic exists.</returns>
    public async Task CreateTopicAsync(string topic, int partitions, short replicationFactor = -1, IReadOnlyDictionary<string, string>? configs = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var spec = new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            Configs = configs?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
        try
        {
            await _admin.Value.CreateTopicsAsync([spec], new CreateTopicsOptions { OperationTimeout = _options.OperationTimeout, RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException ex) when (ex.Results.Any(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            throw new InvalidOperationException($"Topic '{topic}' already exists on {_endpoint}; the harness only writes to topics it creates, so use a run-specific name.", ex);
        }
        catch (CreateTopicsException ex)
        {
            var error = ex.Results.First(r => r.Error.IsError).Error;
            throw new InvalidOperationException($"Creating topic '{topic}' with {partitions} partition(s) on {_endpoint} failed: {error.Code} {error.Reason}", ex);
        }
    }

    /// <summary>Deletes topics the harness created; topics that no longer exist are ignored.</summary>
    /// <param name="topics">The topic names.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the deletion was accepted.</returns>
    public async Task DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default)
    {
        var names = topics.ToList();
        if (names.Count == 0)
        {
            return;
        }

        try
        {
            await _admin.Value.DeleteTopicsAsync(names, new DeleteTopicsOptions { OperationTimeout = _options.OperationTimeout, RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DeleteTopicsException ex) when (ex.Results.All(r => !r.Error.IsError || r.Error.Code == ErrorCode.UnknownTopicOrPart))
        {
            // Already gone.
        }
    }

    /// <summary>Reads the number of partitions of a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The partition numbers, ascending.</returns>
    public async Task<IReadOnlyList<int>> GetPartitionsAsync(string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        try
        {
            var result = await _admin.Value.DescribeTopicsAsync(TopicCollection.OfTopicNames([topic]), new DescribeTopicsOptions { RequestTimeout = _options.OperationTimeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return [.. result.TopicDescriptions.Single().Partitions.Select(p => p.Partition).Order()];
        }
        catch (DescribeTopicsException ex)
        {
            var error = ex.Results.TopicDescriptions.FirstOrDefault()?.Error;
            throw new InvalidOperationException($"Topic '{topic}' could not be described on {_endpoint}: {error?.Code} {error?.Reason}", ex);
        }
    }

    /// <summary>Releases the admin client.</summary>
    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
