using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin.Window;

/// <summary>Stages every batch durably in <c>put</c> (rows with <c>visible = false</c>) and publishes all staged rows every 1.5 s.</summary>
/// <remarks>
/// Correct, and slow to show it: a record is durable before its offset is committed, so nothing is lost even when the
/// worker dies before the next publication (the restarted task publishes it). But readers that filter on <c>visible</c>
/// see the table change only every 1.5 s, long after the offsets were committed, like an object-store or warehouse sink
/// whose files become a table on the loader's schedule. A harness that declares the pipeline settled between two
/// publications reports records as lost that are on their way.
/// </remarks>
public sealed class WriteBehindSinkTask : SinkTask
{
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMilliseconds(1500);
    private readonly CancellationTokenSource _stopping = new();
    private WindowTable? _table;
    private Task? _publisher;

    public override async Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        var table = _table = await WindowTable.OpenAsync(config, uniqueCoordinates: true, cancellationToken).ConfigureAwait(false);
        _publisher = Periodically.RunAsync(PublishEvery, table.PublishAsync, _stopping.Token);
    }

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        _table!.InsertAsync(records, visible: false, cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_publisher is not null)
        {
            await _publisher.ConfigureAwait(false);
        }

        if (_table is not null)
        {
            await _table.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
