using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Hands records to a background writer that writes those at least 250 ms old every 100 ms; on revocation it drops what is still queued.</summary>
/// <remarks>
/// The defect: <c>preCommit</c> reports queued records as done, and <c>close</c> discards the queue of the revoked
/// partitions instead of writing it. A rebalance while records flow commits the queued records on revocation and then
/// loses them. After the stream the queue drains within a fraction of a second, so a rebalance then loses nothing.
/// </remarks>
public sealed class RevocationDropSinkTask : SinkTask
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan WriteEvery = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset Queued, SinkRecord Record)> _queue = [];
    private readonly CancellationTokenSource _stopping = new();
    private WindowTable? _table;
    private Task? _writer;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _table = await WindowTable.OpenAsync(config, uniqueCoordinates: false, cancellationToken).ConfigureAwait(false);
        _writer = Periodically.RunAsync(WriteEvery, WriteDueAsync, _stopping.Token);
    }

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            _queue.AddRange(records.Select(r => (now, r)));
        }

        return Task.CompletedTask;
    }

    // The defect, part one: queued records are claimed as done.
    public override Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) =>
        Task.FromResult(currentOffsets);

    // The defect, part two: the revoked partitions' queue is dropped, not written.
    public override Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _queue.RemoveAll(q => partitions.Contains(new TopicPartition(q.Record.OriginalTopic, q.Record.OriginalKafkaPartition)));
        }

        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }

        if (_table is not null)
        {
            await _table.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task WriteDueAsync(CancellationToken cancellationToken)
    {
        List<(DateTimeOffset Queued, SinkRecord Record)> due;
        var cutoff = DateTimeOffset.UtcNow - MinimumAge;
        lock (_gate)
        {
            due = _queue.Where(q => q.Queued <= cutoff).ToList();
        }

        if (due.Count == 0)
        {
            return;
        }

        await _table!.InsertAsync([.. due.Select(q => q.Record)], visible: true, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var written = due.Select(q => q.Record).ToHashSet();
            _queue.RemoveAll(q => written.Contains(q.Record));
        }
    }
}
