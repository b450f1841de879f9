using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A known-bad sink: it catches the target's refusal of a record, logs nothing useful and carries on, so the framework commits past a record that never took effect.</summary>
public sealed class SwallowingErrorsSinkTask : TableSinkTask
{
    protected override Task OnRefusedAsync(SinkRecord record, PostgresException error) => Task.CompletedTask;
}
