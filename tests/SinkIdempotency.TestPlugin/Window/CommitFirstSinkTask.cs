using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Buffers records and writes them in batches, but reports every record it was given as done in <c>preCommit</c>.</summary>
/// <remarks>
/// The defect: the offsets the worker commits run ahead of what the table holds (up to 250 records or a second of them).
/// Killed in that window, the buffer is gone and the restarted task resumes after it: the records are lost. Without a
/// crash everything is written (the buffer is flushed by size, by age on the next put, and on close and stop).
/// </remarks>
public sealed class CommitFirstSinkTask : SinkTask
{
    private const int BufferRecords = 250;
    private static readonly TimeSpan BufferAge = TimeSpan.FromSeconds(1);
    private readonly List<SinkRecord> _buffer = [];
    private DateTimeOffset _oldest;
    private WindowTable? _table;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
        _table = await WindowTable.OpenAsync(config, uniqueCoordinates: false, cancellationToken).ConfigureAwait(false);

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (_buffer.Count == 0 && records.Count > 0)
        {
            _oldest = DateTimeOffset.UtcNow;
        }

        _buffer.AddRange(records);
        if (_buffer.Count >= BufferRecords || (_buffer.Count > 0 && DateTimeOffset.UtcNow - _oldest >= BufferAge))
        {
            await WriteAsync(_ => true, cancellationToken).ConfigureAwait(false);
        }
    }

    // The defect: the buffered records are claimed as done although the table does not hold them yet.
    public override Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) =>
        Task.FromResult(currentOffsets);

    public override Task CloseAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) =>
        WriteAsync(r => partitions.Contains(new TopicPartition(r.OriginalTopic, r.OriginalKafkaPartition)), cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            await WriteAsync(_ => true, cancellationToken).ConfigureAwait(false);
            await _table.DisposeAsync().ConfigureAwait(false);
            _table = null;
        }
    }

    private async Task WriteAsync(Func<SinkRecord, bool> which, CancellationToken cancellationToken)
    {
        var batch = _buffer.Where(which).ToList();
        if (batch.Count == 0 || _table is null)
        {
            return;
        }

        await _table.InsertAsync(batch, visible: true, cancellationToken).ConfigureAwait(false);
        _buffer.RemoveAll(r => which(r));
        _oldest = DateTimeOffset.UtcNow;
    }
}
