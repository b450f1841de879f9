using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Tests.Support;

/// <summary>A sink task that records every call in order and can be told to fail.</summary>
internal sealed class RecordingSinkTask(EventLog events) : SinkTask
{
    private readonly Lock _lock = new();
    private readonly List<SinkRecord> _written = [];

    /// <summary>Gets or sets how many further puts (with records) throw <see cref="RetriableException"/>.</summary>
    public int RetriableFailures { get; set; }

    /// <summary>Gets or sets an offset whose put throws a non-retriable exception.</summary>
    public long? FatalAtOffset { get; set; }

    public Func<IReadOnlyDictionary<TopicPartition, long>, IReadOnlyDictionary<TopicPartition, long>>? PreCommitOverride { get; set; }

    public IReadOnlyList<SinkRecord> Written
    {
        get
        {
            lock (_lock)
            {
                return [.. _written];
            }
        }
    }

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        events.Add("start");
        return Task.CompletedTask;
    }

    public override Task OpenAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        events.Add("open:" + string.Join(",", partitions.OrderBy(p => p.Partition)));
        return Task.CompletedTask;
    }

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        events.Add($"put:{records.Count}:{records[0].KafkaOffset}-{records[^1].KafkaOffset}");
        if (FatalAtOffset is { } fatal && records.Any(r => r.KafkaOffset == fatal))
        {
            throw new InvalidOperationException("poison record at offset " + fatal);
        }

        if (RetriableFailures > 0)
        {
            RetriableFailures--;
            Context.Timeout(TimeSpan.FromMilliseconds(500));
            throw new RetriableException("target unavailable");
        }

        lock (_lock)
        {
            _written.AddRange(records);
        }

        return Task.CompletedTask;
    }

    public override Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken)
    {
        events.Add("preCommit:" + string.Join(",", currentOffsets.OrderBy(o => o.Key.Partition).Select(o => $"{o.Key}={o.Value}")));
        return Task.FromResult(PreCommitOverride?.Invoke(currentOffsets) ?? currentOffsets);
    }

    public override Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        events.Add("close:" + string.Join(",", partitions.OrderBy(p => p.Partition)));
        return Task.CompletedTask;
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        events.Add("stop");
        return Task.CompletedTask;
    }
}
