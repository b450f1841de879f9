namespace SinkIdempotency.TestPlugin.Window;

/// <summary>A known-bad sink: after its first and every third batch it reports a retriable failure after writing, so the redelivered batch is written twice (see <see cref="RewritingRetrySinkTask"/>).</summary>
public sealed class RewritingRetrySinkConnector : WindowSinkConnector
{
    public override Sink.SinkTask CreateTask() => new RewritingRetrySinkTask();
}
