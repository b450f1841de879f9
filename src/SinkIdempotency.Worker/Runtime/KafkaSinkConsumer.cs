using Confluent.Kafka;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using Microsoft.Extensions.Logging;
using SinkIdempotency.Sink;
using SinkIdempotency.Timing;
using TopicPartition = SinkIdempotency.Sink.TopicPartition;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>
/// <see cref="ISinkConsumer"/> over a Confluent.Kafka consumer. librdkafka assigns partitions after the assignment callback
/// returns, so seeks and pauses requested inside it are applied through the returned start offsets and right after the poll.
/// </summary>
internal sealed class KafkaSinkConsumer : ISinkConsumer
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly ConsumerConfig _config;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<TopicPartition, long> _pendingStart = [];
    private readonly HashSet<TopicPartition> _desiredPaused = [];
    private readonly HashSet<TopicPartition> _assignment = [];
    private readonly HashSet<TopicPartition> _pendingResume = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private IConsumerRebalanceListener? _listener;
    private bool _inAssignCallback;
    private bool _pauseDirty;

    public KafkaSinkConsumer(ConsumerConfig config, ILogger log, TimeProvider? time = null)
    {
        _config = config;
        _log = log;
        _time = time ?? TimeProvider.System;
    }

    public IReadOnlyCollection<TopicPartition> Assignment => _assignment;

    private IConsumer<byte[]?, byte[]?> Consumer => _consumer ?? throw new InvalidOperationException("The consumer is not subscribed.");

    public void Subscribe(IReadOnlyList<string> topics, string? topicsRegex, IConsumerRebalanceListener listener)
    {
        _listener = listener;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(_config)
            .SetLogHandler((_, m) => _log.Log(m.Level <= SyslogLevel.Error ? LogLevel.Warning : LogLevel.Debug, "librdkafka {Facility}: {Message}", m.Facility, m.Message))
            .SetErrorHandler((_, e) => _log.LogDebug("librdkafka error {Code}: {Reason}", e.Code, e.Reason))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((_, revoked) => OnRemoved(revoked.Select(p => p.TopicPartition), lost: false))
            .SetPartitionsLostHandler((_, lost) => OnRemoved(lost.Select(p => p.TopicPartition), lost: true))
            .Build();
        if (topicsRegex is not null)
        {
            Consumer.Subscribe(topicsRegex.StartsWith('^') ? topicsRegex : "^" + topicsRegex);
        }
        else
        {
            Consumer.Subscribe(topics);
        }
    }

    public IReadOnlyList<ConsumedRecord> Poll(TimeSpan timeout, int maxRecords, Func<bool> interrupted)
    {
        var records = new List<ConsumedRecord>();
        var deadline = Deadline.After(timeout, _time);
        while (true)
        {
            var remaining = deadline.Remaining;
            var slice = remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100);
            var result = Consumer.Consume(slice < TimeSpan.Zero ? TimeSpan.Zero : slice);
            ApplyPauses();
            while (result is not null && records.Count < maxRecords)
            {
                Accept(result, records);
                if (records.Count >= maxRecords)
                {
                    break;
                }

                result = Consumer.Consume(TimeSpan.Zero);
                ApplyPauses();
            }

            if (records.Count > 0 || deadline.HasPassed || interrupted())
            {
                return records;
            }
        }
    }

    public long Position(TopicPartition partition) =>
        _positions.TryGetValue(partition, out var position)
            ? position
            : throw new InvalidOperationException($"No position for unassigned partition {partition}.");

    public void Seek(TopicPartition partition, long offset)
    {
        if (_inAssignCallback)
        {
            _pendingStart[partition] = offset;
            return;
        }

        Consumer.Seek(new TopicPartitionOffset(partition.Topic, partition.Partition, offset));
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _desiredPaused.Add(partition);
        }

        _pauseDirty = true;
        if (!_inAssignCallback)
        {
            ApplyPauses();
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        var resumed = partitions.Where(_desiredPaused.Remove).ToList();
        if (resumed.Count > 0 && _consumer is not null)
        {
            Consumer.Resume(resumed.Where(_assignment.Contains).Select(p => new KafkaTopicPartition(p.Topic, p.Partition)));
        }
    }

    public void CommitSync(IReadOnlyDictionary<TopicPartition, long> offsets) => Consumer.Commit(ToKafka(offsets));

    public Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        var consumer = Consumer;
        var list = ToKafka(offsets);
        return Task.Factory.StartNew(() => consumer.Commit(list), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    public void Close() => _consumer?.Close();

    public void Dispose() => _consumer?.Dispose();

    private static List<TopicPartitionOffset> ToKafka(IReadOnlyDictionary<TopicPartition, long> offsets) =>
        offsets.Select(e => new TopicPartitionOffset(e.Key.Topic, e.Key.Partition, e.Value)).ToList();

    private void Accept(ConsumeResult<byte[]?, byte[]?> result, List<ConsumedRecord> records)
    {
        var partition = new TopicPartition(result.Topic, result.Partition.Value);
        if (_desiredPaused.Contains(partition))
        {
            // Fetched before the pause took effect: give it back so it is delivered after the resume.
            Consumer.Seek(new TopicPartitionOffset(result.TopicPartition, result.Offset));
            return;
        }

        var headers = result.Message.Headers is null
            ? []
            : result.Message.Headers.Select(h => new SinkRecordHeader(h.Key, h.GetValueBytes() is { } b ? new ReadOnlyMemory<byte>(b) : null)).ToList();
        var timestampType = result.Message.Timestamp.Type switch
        {
            Confluent.Kafka.TimestampType.CreateTime => Sink.TimestampType.CreateTime,
            Confluent.Kafka.TimestampType.LogAppendTime => Sink.TimestampType.LogAppendTime,
            _ => Sink.TimestampType.NoTimestampType,
        };
        DateTimeOffset? timestamp = timestampType == Sink.TimestampType.NoTimestampType
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(result.Message.Timestamp.UnixTimestampMs);
        records.Add(new ConsumedRecord(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, timestamp, timestampType, headers));
    }

    private void ApplyPauses()
    {
        if (!_pauseDirty || _consumer is null)
        {
            return;
        }

        _pauseDirty = false;

        // librdkafka keeps a partition's pause flag across revocation and reassignment; Kafka's Java consumer (and so
        // Connect) starts every newly assigned partition unpaused.
        var toResume = _pendingResume.Where(p => _assignment.Contains(p) && !_desiredPaused.Contains(p)).Select(p => new KafkaTopicPartition(p.Topic, p.Partition)).ToList();
        _pendingResume.Clear();
        if (toResume.Count > 0)
        {
            Consumer.Resume(toResume);
        }

        var toPause = _desiredPaused.Where(_assignment.Contains).Select(p => new KafkaTopicPartition(p.Topic, p.Partition)).ToList();
        if (toPause.Count > 0)
        {
            Consumer.Pause(toPause);
        }
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<KafkaTopicPartition> assigned)
    {
        var partitions = assigned.Select(p => new TopicPartition(p.Topic, p.Partition.Value)).ToList();
        if (partitions.Count > 0)
        {
            var committed = consumer.Committed(assigned, RequestTimeout);
            foreach (var c in committed)
            {
                var partition = new TopicPartition(c.Topic, c.Partition.Value);
                if (c.Offset.Value >= 0)
                {
                    _positions[partition] = c.Offset.Value;
                }
                else
                {
                    // No committed offset: auto.offset.reset decides, earliest (Connect's default for sinks) at the log
                    // start, latest (a connector's consumer.override.auto.offset.reset) at the log end.
                    var watermarks = consumer.QueryWatermarkOffsets(c.TopicPartition, RequestTimeout);
                    _positions[partition] = StartsAtEnd(_config) ? watermarks.High.Value : watermarks.Low.Value;
                }
            }
        }

        _inAssignCallback = true;
        try
        {
            foreach (var partition in partitions)
            {
                _assignment.Add(partition);
                _pendingResume.Add(partition);
            }

            _listener?.OnPartitionsAssigned(partitions);
        }
        finally
        {
            _inAssignCallback = false;
        }

        var start = partitions.Select(p => new TopicPartitionOffset(
            p.Topic,
            p.Partition,
            _pendingStart.Remove(p, out var pending) ? pending : _positions[p])).ToList();
        _pauseDirty = true;
        return start;
    }

    // librdkafka's names for the log end; anything else (earliest, smallest, beginning, unset) starts at the log start.
    internal static bool StartsAtEnd(ConsumerConfig config) =>
        config.Get("auto.offset.reset")?.Trim().ToLowerInvariant() is "latest" or "largest" or "end";

    private void OnRemoved(IEnumerable<KafkaTopicPartition> removed, bool lost)
    {
        var partitions = removed.Select(p => new TopicPartition(p.Topic, p.Partition.Value)).ToList();

        // Clear librdkafka's pause flag while the partitions are still assigned (the flag would otherwise survive into a
        // later assignment); a partition assigned again starts unpaused, as in Kafka's Java consumer. The resume after the
        // next assignment (ApplyPauses) stays as a second guard.
        var paused = partitions.Where(_desiredPaused.Contains).Select(p => new KafkaTopicPartition(p.Topic, p.Partition)).ToList();
        if (paused.Count > 0 && _consumer is not null)
        {
            try
            {
                _consumer.Resume(paused);
            }
            catch (KafkaException ex)
            {
                _log.LogDebug("Resuming revoked partitions failed: {Reason}", ex.Error.Reason);
            }
        }

        try
        {
            if (lost)
            {
                _listener?.OnPartitionsLost(partitions);
            }
            else
            {
                _listener?.OnPartitionsRevoked(partitions);
            }
        }
        finally
        {
            foreach (var partition in partitions)
            {
                _assignment.Remove(partition);
                _positions.Remove(partition);
                _desiredPaused.Remove(partition);
            }
        }
    }
}
