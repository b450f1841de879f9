using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>Writes as <see cref="TableSinkTask"/> (idempotent, keyed by Kafka coordinates), except that task 1 throws a non-retriable error on its first records, as a task whose own connection is misconfigured.</summary>
/// <remarks>
/// Task 1 fails and stays FAILED; the other task keeps writing. When the failed task's consumer leaves the group its
/// partitions move to the task still running, as in Kafka Connect, so the target may end complete: the run must still be
/// red, with the failure attributed to task 1.
/// </remarks>
public sealed class OneTaskFailsSinkTask : TableSinkTask
{
    private bool _fails;

    public override Task StartAsync(IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        _fails = config.TryGetValue(OneTaskFailsSinkConnector.TaskIndexKey, out var index) && index == "1";
        return base.StartAsync(config, cancellationToken);
    }

    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        _fails && records.Count > 0
            ? throw new ConnectException("Task 1 cannot write: permission denied for its target schema (test sink).")
            : base.PutAsync(records, cancellationToken);

    protected override Task OnRefusedAsync(SinkRecord record, PostgresException error) => throw error;
}
