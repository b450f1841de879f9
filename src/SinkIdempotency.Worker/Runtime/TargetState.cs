namespace SinkIdempotency.Worker.Runtime;

/// <summary>The state a connector is asked to be in (Connect's <c>TargetState</c>; STARTED shows as RUNNING).</summary>
internal enum TargetState
{
    Started,
    Paused,
    Stopped,
}
