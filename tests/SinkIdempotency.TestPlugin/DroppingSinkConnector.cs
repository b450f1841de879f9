using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A sink that silently drops every tenth record (<see cref="DroppingSinkTask"/>): a new path that loses data while its offsets look perfect.</summary>
public sealed class DroppingSinkConnector : TableSinkConnector
{
    public override SinkTask CreateTask() => new DroppingSinkTask();
}
