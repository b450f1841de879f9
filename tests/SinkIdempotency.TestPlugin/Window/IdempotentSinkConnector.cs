namespace SinkIdempotency.TestPlugin.Window;

/// <summary>A known-good sink: it writes each record once per Kafka coordinate before reporting it done (see <see cref="IdempotentSinkTask"/>).</summary>
public sealed class IdempotentSinkConnector : WindowSinkConnector
{
    public override Sink.SinkTask CreateTask() => new IdempotentSinkTask();
}
