namespace SinkIdempotency.TestPlugin.Window;

/// <summary>A known-bad sink: it buffers records and lets the worker commit their offsets before it writes them (see <see cref="CommitFirstSinkTask"/>).</summary>
public sealed class CommitFirstSinkConnector : WindowSinkConnector
{
    public override Sink.SinkTask CreateTask() => new CommitFirstSinkTask();
}
