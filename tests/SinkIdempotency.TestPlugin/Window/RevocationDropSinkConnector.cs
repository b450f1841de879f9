namespace SinkIdempotency.TestPlugin.Window;

/// <summary>A known-bad sink: a background writer whose queue is thrown away when partitions are revoked (see <see cref="RevocationDropSinkTask"/>).</summary>
public sealed class RevocationDropSinkConnector : WindowSinkConnector
{
    public override Sink.SinkTask CreateTask() => new RevocationDropSinkTask();
}
