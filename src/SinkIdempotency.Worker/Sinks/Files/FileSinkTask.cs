using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Files;

/// <summary>
/// Writes records to files: appended lines per topic-partition (<c>file.mode=append</c>), or S3-sink-like objects named by start
/// offset whose offsets are committed only once the object is finished (<c>file.mode=deterministic</c>).
/// </summary>
internal sealed class FileSinkTask(ILogger log, TimeProvider? time = null) : SinkTask
{
    private readonly Dictionary<TopicPartition, IPartitionFileWriter> _writers = [];
    private FileSinkConfig? _config;

    public override string Version => FileSinkConnector.ConnectorVersion;

    private FileSinkConfig Config => _config ?? throw new InvalidOperationException("The task was not started.");

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _config = FileSinkConfig.Parse(config);
        Directory.CreateDirectory(_config.Directory);
        log.LogInformation("File sink writing to {Directory} in {Mode} mode", _config.Directory, _config.Mode);
        return Task.CompletedTask;
    }

    public override Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            WriterFor(partition);
        }

        return Task.CompletedTask;
    }

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var touched = new HashSet<IPartitionFileWriter>();
        foreach (var record in records)
        {
            var writer = WriterFor(record.OriginalTopicPartition);
            writer.Write(record);
            touched.Add(writer);
        }

        foreach (var writer in touched)
        {
            writer.Flush(durable: false);
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken)
    {
        var committable = new Dictionary<TopicPartition, long>();
        foreach (var (partition, current) in currentOffsets)
        {
            if (!_writers.TryGetValue(partition, out var writer))
            {
                continue;
            }

            writer.Flush(durable: true);
            if (Config.Mode == FileSinkMode.Append)
            {
                committable[partition] = current;
            }
            else if (writer.CommittableOffset is { } finished)
            {
                committable[partition] = finished;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<TopicPartition, long>>(committable);
    }

    public override Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        foreach (var partition in partitions)
        {
            if (_writers.Remove(partition, out var writer))
            {
                writer.Dispose();
            }
        }

        return Task.CompletedTask;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
        return Task.CompletedTask;
    }

    private IPartitionFileWriter WriterFor(TopicPartition partition)
    {
        if (!_writers.TryGetValue(partition, out var writer))
        {
            writer = Config.Mode == FileSinkMode.Append
                ? new AppendPartitionWriter(Config.Directory, partition)
                : new DeterministicPartitionWriter(Config.Directory, partition, Config.FlushSize, Config.OffsetPadWidth, Config.RotateAfter, time ?? TimeProvider.System);
            _writers[partition] = writer;
        }

        return writer;
    }
}
