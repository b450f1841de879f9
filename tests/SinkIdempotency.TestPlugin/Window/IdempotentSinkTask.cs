using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Writes every batch in <c>put</c>, in one transaction, skipping records whose Kafka coordinates are already in the table.</summary>
/// <remarks>
/// Correct under every failure case: a record is durable before its offset can be committed (no loss), and a record
/// delivered again after a crash or a rebalance finds its own row (no duplicate). It never opens the loss window.
/// </remarks>
public sealed class IdempotentSinkTask : SinkTask
{
    private WindowTable? _table;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
        _table = await WindowTable.OpenAsync(config, uniqueCoordinates: true, cancellationToken).ConfigureAwait(false);

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        _table!.InsertAsync(records, visible: true, cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            await _table.DisposeAsync().ConfigureAwait(false);
            _table = null;
        }
    }
}
