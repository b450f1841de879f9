using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Appends every batch in one transaction, and after the first and every third batch it has written throws a <see cref="RetriableException"/>, as a sink does whose target answered too late.</summary>
/// <remarks>
/// The defect: the retry re-sends a batch the target already committed, to an append-only table. Connect redelivers the
/// same batch after a retriable error, so about a third of the records (at least the first batch) are written twice with
/// no fault injected at all.
/// </remarks>
public sealed class RewritingRetrySinkTask : SinkTask
{
    private WindowTable? _table;
    private int _batches;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
        _table = await WindowTable.OpenAsync(config, uniqueCoordinates: false, cancellationToken).ConfigureAwait(false);

    public override async Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await _table!.InsertAsync(records, visible: true, cancellationToken).ConfigureAwait(false);
        // The first batch already, so the defect shows however few batches a loaded machine cuts the stream into.
        if (_batches++ % 3 == 0)
        {
            throw new RetriableException("The target did not confirm the batch in time (test sink: it was written; the retry writes it again).");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            await _table.DisposeAsync().ConfigureAwait(false);
            _table = null;
        }
    }
}
