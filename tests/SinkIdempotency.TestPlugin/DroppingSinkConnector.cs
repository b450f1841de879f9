using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A sink that silently writes nothing for some keys (<see cref="DroppingSinkTask"/>): the harness must grade it red with those records lost.</summary>
public sealed class DroppingSinkConnector : TableSinkConnector
{
    public override SinkTask CreateTask() => new DroppingSinkTask();
}
