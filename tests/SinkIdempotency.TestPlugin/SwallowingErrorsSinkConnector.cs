using SinkIdempotency.Sink;

namespace SinkIdempotency.TestPlugin;

/// <summary>A sink that swallows target errors (<see cref="SwallowingErrorsSinkTask"/>): the harness must grade it red under poison the target refuses.</summary>
public sealed class SwallowingErrorsSinkConnector : TableSinkConnector
{
    public override SinkTask CreateTask() => new SwallowingErrorsSinkTask();
}
