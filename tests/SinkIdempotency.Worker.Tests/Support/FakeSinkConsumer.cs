using Microsoft.Extensions.Time.Testing;
using SinkIdempotency.Sink;
using SinkIdempotency.Worker.Runtime;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>
/// A scripted consumer: partitions hold logs, assignment changes happen on the next poll (as rebalance callbacks do),
/// and an empty poll advances the fake clock, standing in for the time a real poll would wait.
/// </summary>
internal sealed class FakeSinkConsumer(FakeTimeProvider time, EventLog events) : ISinkConsumer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TopicPartition, List<ConsumedRecord>> _logs = [];
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private readonly HashSet<TopicPartition> _assignment = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly Queue<(string Kind, TopicPartition[] Partitions)> _pendingRebalances = new();
    private IConsumerRebalanceListener? _listener;

    public TimeSpan EmptyPollStep { get; set; } = TimeSpan.FromMilliseconds(100);

    public IReadOnlyCollection<TopicPartition> Assignment
    {
        get
        {
            lock (_lock)
            {
                return [.. _assignment];
            }
        }
    }

    public IReadOnlyCollection<TopicPartition> Paused
    {
        get
        {
            lock (_lock)
            {
                return [.. _paused];
            }
        }
    }

    public bool Closed { get; private set; }

    public long? Committed(TopicPartition partition)
    {
        lock (_lock)
        {
            return _committed.TryGetValue(partition, out var offset) ? offset : null;
        }
    }

    public void Append(TopicPartition partition, int count)
    {
        lock (_lock)
        {
            var log = Log(partition);
            for (var i = 0; i < count; i++)
            {
                var offset = log.Count;
                var value = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{offset}}}");
                log.Add(new ConsumedRecord(partition.Topic, partition.Partition, offset, null, value, time.GetUtcNow(), TimestampType.CreateTime, []));
            }
        }
    }

    public void AppendRaw(TopicPartition partition, byte[]? value)
    {
        lock (_lock)
        {
            var log = Log(partition);
            log.Add(new ConsumedRecord(partition.Topic, partition.Partition, log.Count, null, value, time.GetUtcNow(), TimestampType.CreateTime, []));
        }
    }

    public void AssignOnNextPoll(params TopicPartition[] partitions) => Enqueue("assign", partitions);

    public void RevokeOnNextPoll(params TopicPartition[] partitions) => Enqueue("revoke", partitions);

    public void LoseOnNextPoll(params TopicPartition[] partitions) => Enqueue("lose", partitions);

    public void Subscribe(IReadOnlyList<string> topics, string? topicsRegex, IConsumerRebalanceListener listener) => _listener = listener;

    public IReadOnlyList<ConsumedRecord> Poll(TimeSpan timeout, int maxRecords, Func<bool> interrupted)
    {
        while (true)
        {
            (string Kind, TopicPartition[] Partitions) change;
            lock (_lock)
            {
                if (!_pendingRebalances.TryDequeue(out change))
                {
                    break;
                }
            }

            Rebalance(change.Kind, change.Partitions);
        }

        var records = new List<ConsumedRecord>();
        lock (_lock)
        {
            foreach (var partition in _assignment.Where(p => !_paused.Contains(p)).OrderBy(p => p.Partition))
            {
                var log = Log(partition);
                var position = _positions.GetValueOrDefault(partition);
                while (position < log.Count && records.Count < maxRecords)
                {
                    records.Add(log[(int)position++]);
                }

                _positions[partition] = position;
            }
        }

        if (records.Count == 0)
        {
            Thread.Sleep(1);
            time.Advance(timeout < EmptyPollStep ? timeout : EmptyPollStep);
        }
        else
        {
            events.Add($"poll:{records.Count}");
        }

        return records;
    }

    public long Position(TopicPartition partition)
    {
        lock (_lock)
        {
            return _committed.GetValueOrDefault(partition);
        }
    }

    public void Seek(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            _positions[partition] = offset;
        }

        events.Add($"seek:{partition}:{offset}");
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _paused.UnionWith(partitions);
        }
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            _paused.ExceptWith(partitions);
        }
    }

    public void CommitSync(IReadOnlyDictionary<TopicPartition, long> offsets) => Commit("commitSync", offsets);

    public Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        Commit("commitAsync", offsets);
        return Task.CompletedTask;
    }

    public void Close()
    {
        Closed = true;
        events.Add("consumer.close");
    }

    public void Dispose()
    {
    }

    private void Commit(string kind, IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        lock (_lock)
        {
            foreach (var (partition, offset) in offsets)
            {
                _committed[partition] = offset;
            }
        }

        events.Add($"{kind}:{string.Join(",", offsets.OrderBy(o => o.Key.Partition).Select(o => $"{o.Key}={o.Value}"))}@{time.GetUtcNow().ToUnixTimeMilliseconds()}");
    }

    private void Enqueue(string kind, TopicPartition[] partitions)
    {
        lock (_lock)
        {
            _pendingRebalances.Enqueue((kind, partitions));
        }
    }

    private void Rebalance(string kind, TopicPartition[] partitions)
    {
        switch (kind)
        {
            case "assign":
                lock (_lock)
                {
                    _assignment.UnionWith(partitions);
                    foreach (var partition in partitions)
                    {
                        _positions[partition] = _committed.GetValueOrDefault(partition);
                    }
                }

                _listener!.OnPartitionsAssigned(partitions);
                break;
            case "revoke":
                _listener!.OnPartitionsRevoked(partitions);
                Remove(partitions);
                break;
            default:
                _listener!.OnPartitionsLost(partitions);
                Remove(partitions);
                break;
        }
    }

    private void Remove(TopicPartition[] partitions)
    {
        lock (_lock)
        {
            _assignment.ExceptWith(partitions);
            _paused.ExceptWith(partitions);
        }
    }

    private List<ConsumedRecord> Log(TopicPartition partition)
    {
        if (!_logs.TryGetValue(partition, out var log))
        {
            log = [];
            _logs[partition] = log;
        }

        return log;
    }
}
