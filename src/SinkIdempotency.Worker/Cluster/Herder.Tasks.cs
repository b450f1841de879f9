using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Timing;
using SinkIdempotency.Worker.Converters;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Cluster;

/// <summary>Starting and stopping this worker's tasks, and writing their statuses.</summary>
internal sealed partial class Herder : ITaskStatusListener
{
    private static readonly TimeSpan StatusWriteTimeout = TimeSpan.FromSeconds(15);

    void ITaskStatusListener.OnStartup(ConnectorTaskId id) => WriteTaskStatusIfExists(id, "RUNNING", null);

    void ITaskStatusListener.OnPause(ConnectorTaskId id) => WriteTaskStatusIfExists(id, "PAUSED", null);

    void ITaskStatusListener.OnResume(ConnectorTaskId id) => WriteTaskStatusIfExists(id, "RUNNING", null);

    void ITaskStatusListener.OnFailure(ConnectorTaskId id, Exception cause) => WriteTaskStatusIfExists(id, "FAILED", JavaTrace.Format(cause));

    void ITaskStatusListener.OnShutdown(ConnectorTaskId id) => WriteTaskStatusIfExists(id, "UNASSIGNED", null);

    internal ConsumerConfig TaskConsumerConfig(ConnectorTaskId id, IReadOnlyDictionary<string, string> connectorConfig)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = "connect-" + id.Connector,
            ClientId = $"connector-consumer-{id}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            GroupProtocol = GroupProtocol.Classic,
            // Connect's consumers list [range, cooperative-sticky]; all members agree on range, so range (eager) is what runs.
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            EnablePartitionEof = false,
        };
        ClientConfigs.With(config, _options.ClientProperties);
        ClientConfigs.With(config, WithoutWorkerOnly(_options.ConsumerProperties));
        ClientConfigs.With(config, WithoutWorkerOnly(ConsumerOverrides(connectorConfig)));
        config.EnableAutoCommit = false;
        return config;
    }

    /// <summary>Reads the task's <c>max.poll.records</c> as Connect does: the connector's <c>consumer.override.</c> setting, else the worker's <c>consumer.</c> one, else 500.</summary>
    /// <exception cref="Sink.ConnectException">The value is not a positive integer.</exception>
    internal static int MaxPollRecords(IReadOnlyDictionary<string, string> workerConsumerProperties, IReadOnlyDictionary<string, string> connectorConfig)
    {
        var value = ConsumerOverrides(connectorConfig).GetValueOrDefault(MaxPollRecordsKey) ?? workerConsumerProperties.GetValueOrDefault(MaxPollRecordsKey);
        if (value is null)
        {
            return new WorkerSinkTaskSettings().MaxPollRecords;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var records) && records > 0
            ? records
            : throw new Sink.ConnectException($"Invalid value {value} for configuration max.poll.records: expected a positive integer.");
    }

    private const string MaxPollRecordsKey = "max.poll.records";

    private static Dictionary<string, string> ConsumerOverrides(IReadOnlyDictionary<string, string> connectorConfig)
    {
        const string overridePrefix = "consumer.override.";
        return connectorConfig.Where(e => e.Key.StartsWith(overridePrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key[overridePrefix.Length..], e => e.Value, StringComparer.Ordinal);
    }

    // max.poll.records is the Java consumer's; here the task loop applies it, and librdkafka would refuse the key.
    internal static Dictionary<string, string> WithoutWorkerOnly(IReadOnlyDictionary<string, string> properties) =>
        properties.Where(e => e.Key != MaxPollRecordsKey).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private void StartTask(ConnectorTaskId id, ConnectorDefinition definition, TargetState state)
    {
        var handle = new TaskHandle(definition.Generation);
        _tasks[id] = handle;
        try
        {
            var plugin = _plugins.Find(definition.Config.GetValueOrDefault("connector.class", ""))
                ?? throw new Sink.ConnectException(_plugins.UnknownClassMessage(definition.Config.GetValueOrDefault("connector.class", "")));
            var taskConfig = definition.TaskConfigs[id.Task];
            var keyConverter = ConverterFactory.Create("key.converter", definition.Config, _options.WorkerProperties);
            var valueConverter = ConverterFactory.Create("value.converter", definition.Config, _options.WorkerProperties);
            var sinkTask = plugin.Create().CreateTask();
            var logger = _loggerFactory.CreateLogger($"WorkerSinkTask[{id}]");
            var consumer = new KafkaSinkConsumer(TaskConsumerConfig(id, definition.Config), logger, _time);
            var settings = new WorkerSinkTaskSettings
            {
                MaxPollRecords = MaxPollRecords(_options.ConsumerProperties, definition.Config),
                OffsetFlushIntervalMs = _options.OffsetFlushIntervalMs,
                OffsetFlushTimeoutMs = _options.OffsetFlushTimeoutMs,
            };
            var (errorHandler, errantRecordReporter) = Runtime.Errors.TaskErrorHandling.Create(id, definition.Config, _options, _time, logger);
            handle.Task = new WorkerSinkTask(id, sinkTask, taskConfig, keyConverter, valueConverter, consumer, this, state, settings, _time, logger, errorHandler, errantRecordReporter);
            handle.Thread = new Thread(handle.Task.Run) { IsBackground = true, Name = $"task-thread-{id}" };
            _log.LogInformation("Starting task {Task} (generation {Generation})", id, definition.Generation);
            handle.Thread.Start();
        }
        catch (Exception e)
        {
            _log.LogError(e, "Failed to start task {Task}", id);
            WriteTaskStatus(id, new StatusRecord("FAILED", WorkerId, JavaTrace.Format(e)));
        }
    }

    private void StopTasks(IReadOnlyList<ConnectorTaskId> ids)
    {
        var handles = ids.Where(_tasks.ContainsKey).Select(id => (Id: id, Handle: _tasks[id])).ToList();
        foreach (var (id, handle) in handles)
        {
            _tasks.Remove(id);
            handle.Task?.Stop();
        }

        var deadline = Deadline.After(TimeSpan.FromMilliseconds(_options.TaskShutdownGracefulTimeoutMs), _time);
        foreach (var (id, handle) in handles)
        {
            if (handle.Task is null)
            {
                continue;
            }

            var remaining = deadline.Remaining;
            if (!handle.Task.AwaitStop(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
            {
                _log.LogError("Graceful stop of task {Task} failed.", id);
                handle.Task.Cancel();
            }
            else
            {
                _log.LogInformation("Stopped task {Task}", id);
            }
        }

    }

    private void WriteTaskStatusIfExists(ConnectorTaskId id, string state, string? trace)
    {
        var exists = _clusterLog.Read(s => s.Connectors.TryGetValue(id.Connector, out var c) && id.Task < c.TaskConfigs.Count);
        if (exists)
        {
            WriteTaskStatus(id, new StatusRecord(state, WorkerId, trace));
        }
    }

    private void WriteTaskStatus(ConnectorTaskId id, StatusRecord status) =>
        WriteStatus(ClusterRecords.TaskKey(ClusterRecords.TaskStatusPrefix, id), ClusterRecords.EncodeStatus(status));

    private void WriteConnectorStatus(string connector, string state) =>
        WriteStatus(ClusterRecords.ConnectorStatusPrefix + connector, ClusterRecords.EncodeStatus(new StatusRecord(state, WorkerId, null)));

    private void WriteStatus(string key, byte[]? value)
    {
        try
        {
            using var timeout = new CancellationTokenSource(StatusWriteTimeout);
            _clusterLog.WriteStatusAsync(key, value, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "Could not write status {Key}", key);
        }
    }

    private sealed class TaskHandle(long generation)
    {
        public long Generation { get; } = generation;

        public WorkerSinkTask? Task { get; set; }

        public Thread? Thread { get; set; }
    }
}
