using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A known-bad sink: it writes nothing for records whose key ends in <c>7</c>, says nothing, and lets the framework commit past them.</summary>
/// <remarks>No error, no dead letter, no failed task: the only trace of the loss is what the target lacks.</remarks>
public sealed class DroppingSinkTask : TableSinkTask
{
    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        base.PutAsync([.. records.Where(r => r.Value?["key"]?.GetValue<string>() is not { } key || !key.EndsWith('7'))], cancellationToken);

    protected override Task OnRefusedAsync(SinkRecord record, Npgsql.PostgresException error) => throw error;
}
