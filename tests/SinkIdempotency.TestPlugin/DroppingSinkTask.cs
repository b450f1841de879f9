using System.Text.Json.Nodes;
using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A known-bad sink: it never writes a record whose <c>seq</c> is a multiple of ten, and the framework commits past it anyway.</summary>
public sealed class DroppingSinkTask : TableSinkTask
{
    public override Task PutAsync(IReadOnlyList<SinkRecord> records, CancellationToken cancellationToken) =>
        base.PutAsync([.. records.Where(r => !(r.Value?["seq"] is JsonValue seq && long.TryParse(seq.ToJsonString(), out var n) && n % 10 == 0))], cancellationToken);

    protected override Task OnRefusedAsync(SinkRecord record, PostgresException error) => throw error;
}
