using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Worker.Hosting;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>
/// Reads the config and status topics from the beginning into a <see cref="ClusterState"/> on a background thread and writes
/// to them; a write returns once this worker has read it back, so a REST call sees its own change.
/// </summary>
internal sealed class KafkaClusterLog : IAsyncDisposable
{
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(60);
    private readonly WorkerOptions _options;
    private readonly ILogger _log;
    private readonly IProducer<string, byte[]?> _producer;
    private readonly Lock _lock = new();
    private readonly ClusterState _state = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _applied = [];
    private Thread? _thread;
    private bool _caughtUp;
    private Exception? _readerFailure;

    public KafkaClusterLog(WorkerOptions options, string workerId, ILogger log)
    {
        _options = options;
        _log = log;
        _producer = new ProducerBuilder<string, byte[]?>(ClientConfigs.Producer(options, $"connect-cluster-{options.GroupId}-{workerId}"))
            .SetLogHandler((_, m) => _log.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .Build();
        ReaderClientId = $"connect-cluster-reader-{options.GroupId}-{workerId}";
    }

    /// <summary>Raised on the reader thread after a config record was applied (outside the state lock).</summary>
    public event Action? ConfigChanged;

    /// <summary>Raised on the reader thread for restart requests written after this worker caught up.</summary>
    public event Action<RestartRequest>? RestartRequested;

    /// <summary>Raised on the reader thread after a status record was applied.</summary>
    public event Action? StatusChanged;

    public string ReaderClientId { get; }

    public bool IsReady
    {
        get
        {
            lock (_lock)
            {
                return _caughtUp;
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> under the state lock.</summary>
    public T Read<T>(Func<ClusterState, T> read)
    {
        lock (_lock)
        {
            return read(_state);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await EnsureTopicsAsync(cancellationToken).ConfigureAwait(false);
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = "cluster-log-reader" };
        _thread.Start();
    }

    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (!IsReady)
        {
            if (_readerFailure is not null)
            {
                throw new InvalidOperationException("Reading the cluster's config and status topics failed.", _readerFailure);
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task WriteConfigAsync(string key, byte[]? value, CancellationToken cancellationToken) =>
        WriteAsync(_options.ConfigTopic, key, value, cancellationToken);

    public Task WriteStatusAsync(string key, byte[]? value, CancellationToken cancellationToken) =>
        WriteAsync(_options.StatusTopic, key, value, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _thread?.Join(TimeSpan.FromSeconds(5));
        _producer.Flush(TimeSpan.FromSeconds(2));
        _producer.Dispose();
        _stop.Dispose();
    }

    private async Task WriteAsync(string topic, string key, byte[]? value, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            var result = await _producer.ProduceAsync(topic, new Message<string, byte[]?> { Key = key, Value = value }, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                lock (_lock)
                {
                    if (_applied.TryGetValue(topic, out var applied) && applied >= result.Offset.Value)
                    {
                        return;
                    }
                }

                if (_readerFailure is { } failure)
                {
                    throw new InvalidOperationException($"Wrote {key} to {topic} but cannot read it back: the reader failed.", failure);
                }

                await Task.Delay(5, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Writing {key} to {topic} and reading it back took longer than {WriteTimeout.TotalSeconds:F0} s.");
        }
    }

    // As Connect's TopicAdmin: topics that exist are used as they are; missing ones are created; a cluster that cannot create
    // them (no CreateTopics, no right to) falls back to topics made beforehand. The partition counts are then checked, because
    // the worker reads partition 0 only of the config and status topics and needs a partition per task slot.
    private async Task EnsureTopicsAsync(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(ClientConfigs.Admin(_options, ReaderClientId + "-admin")).Build();
        var compact = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };
        var specifications = new List<TopicSpecification>
        {
            new() { Name = _options.ConfigTopic, NumPartitions = 1, ReplicationFactor = -1, Configs = compact },
            new() { Name = _options.StatusTopic, NumPartitions = 1, ReplicationFactor = -1, Configs = compact },
            new() { Name = _options.AssignmentTopic, NumPartitions = _options.ClusterSlots, ReplicationFactor = -1 },
        };
        var existing = await PartitionCountsAsync(admin, cancellationToken).ConfigureAwait(false);
        var missing = specifications.Where(s => !existing.ContainsKey(s.Name)).ToList();
        string? createFailure = null;
        if (missing.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(missing, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(30) }).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
            }
            catch (KafkaException e)
            {
                createFailure = e.Message;
                _log.LogInformation("Could not create the internal topics {Topics} ({Error}); falling back to topics created beforehand", string.Join(", ", missing.Select(m => m.Name)), e.Message);
            }

            // A created topic can take a moment to appear in every broker's metadata.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            existing = await PartitionCountsAsync(admin, cancellationToken).ConfigureAwait(false);
            while (createFailure is null && specifications.Any(s => !existing.ContainsKey(s.Name)) && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                existing = await PartitionCountsAsync(admin, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var specification in specifications)
        {
            if (!existing.TryGetValue(specification.Name, out var partitions))
            {
                throw new InvalidOperationException($"The internal topic '{specification.Name}' does not exist and could not be created ({createFailure ?? "no error was reported"}); create it with {specification.NumPartitions} partition(s) before starting the worker.");
            }

            if (specification.NumPartitions == 1 ? partitions != 1 : partitions < specification.NumPartitions)
            {
                throw new InvalidOperationException($"The internal topic '{specification.Name}' has {partitions} partition(s) but needs {(specification.NumPartitions == 1 ? "exactly 1" : $"at least {specification.NumPartitions}")}; delete it and create it with {specification.NumPartitions} partition(s).");
            }
        }
    }

    private static async Task<Dictionary<string, int>> PartitionCountsAsync(IAdminClient admin, CancellationToken cancellationToken)
    {
        // Metadata for all topics: asking for named topics would auto-create them with the broker's default partition count.
        var metadata = await Task.Run(() => admin.GetMetadata(TimeSpan.FromSeconds(30)), cancellationToken).ConfigureAwait(false);
        return metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }

    private void ReadLoop()
    {
        try
        {
            using var consumer = new ConsumerBuilder<string, byte[]?>(ClientConfigs.Reader(_options, ReaderClientId))
                .SetLogHandler((_, m) => _log.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
                .Build();
            var partitions = new[] { new TopicPartition(_options.ConfigTopic, 0), new TopicPartition(_options.StatusTopic, 0) };
            var endOffsets = partitions.ToDictionary(p => p.Topic, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(30)).High.Value);
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
            var position = partitions.ToDictionary(p => p.Topic, _ => 0L);
            CheckCaughtUp(endOffsets, position);
            while (!_stop.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    position[result.Topic] = Math.Max(position[result.Topic], result.Offset.Value);
                    CheckCaughtUp(endOffsets, position);
                    continue;
                }

                Apply(result);
                position[result.Topic] = result.Offset.Value + 1;
                CheckCaughtUp(endOffsets, position);
            }
        }
        catch (Exception e)
        {
            _log.LogError(e, "Reading the cluster's config and status topics failed");
            _readerFailure = e;
        }
    }

    private void CheckCaughtUp(Dictionary<string, long> endOffsets, Dictionary<string, long> position)
    {
        lock (_lock)
        {
            if (!_caughtUp && endOffsets.All(e => position[e.Key] >= e.Value))
            {
                _caughtUp = true;
                _log.LogInformation("Finished reading the config and status topics to the end");
            }
        }

        if (IsReady)
        {
            ConfigChanged?.Invoke();
        }
    }

    private void Apply(ConsumeResult<string, byte[]?> result)
    {
        var key = result.Message.Key ?? "";
        RestartRequest? restart = null;
        bool caughtUp;
        var isConfig = result.Topic == _options.ConfigTopic;
        lock (_lock)
        {
            try
            {
                if (isConfig)
                {
                    restart = _state.ApplyConfig(key, result.Message.Value, result.Offset.Value);
                }
                else
                {
                    _state.ApplyStatus(key, result.Message.Value);
                }
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or KeyNotFoundException)
            {
                _log.LogWarning(e, "Ignoring unreadable record {Key} at {Topic}/{Offset}", key, result.Topic, result.Offset.Value);
            }

            _applied[result.Topic] = result.Offset.Value;
            caughtUp = _caughtUp;
        }

        if (!caughtUp)
        {
            return;
        }

        if (restart is not null)
        {
            RestartRequested?.Invoke(restart);
        }

        if (isConfig)
        {
            ConfigChanged?.Invoke();
        }
        else
        {
            StatusChanged?.Invoke();
        }
    }
}
