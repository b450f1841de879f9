using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>
/// A correct sink: a record the target refuses goes to the errant record reporter when there is one (a dead-letter queue),
/// and otherwise fails the task. Its error says what the target said and nothing about which record, like many real
/// sinks, so the harness must prove the stop from the committed offsets.
/// </summary>
public sealed class StrictTableSinkTask : TableSinkTask
{
    protected override async Task OnRefusedAsync(SinkRecord record, PostgresException error)
    {
        if (Context.ErrantRecordReporter is { } reporter)
        {
            await reporter.ReportAsync(record, error).ConfigureAwait(false);
            return;
        }

        throw new ConnectException("The target refused a record: " + error.MessageText);
    }
}
