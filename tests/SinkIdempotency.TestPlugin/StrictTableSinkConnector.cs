using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A correct, idempotent sink (<see cref="StrictTableSinkTask"/>): never red, whatever the poison.</summary>
public sealed class StrictTableSinkConnector : TableSinkConnector
{
    public override SinkTask CreateTask() => new StrictTableSinkTask();
}
