namespace SinkIdempotency.TestPlugin.Window;

/// <summary>A known-good sink whose rows become visible in batches every 1.5 s (see <see cref="WriteBehindSinkTask"/>).</summary>
public sealed class WriteBehindSinkConnector : WindowSinkConnector
{
    public override Sink.SinkTask CreateTask() => new WriteBehindSinkTask();
}
