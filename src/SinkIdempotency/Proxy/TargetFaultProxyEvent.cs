namespace SinkIdempotency.Proxy;

/// <summary>Records one behaviour change of a <see cref="TargetFaultProxy"/> and when it happened.</summary>
/// <param name="At">Gets the time of the change, from the proxy's <see cref="TimeProvider"/>.</param>
/// <param name="Behaviour">Gets the behaviour the proxy switched to.</param>
/// <param name="Latency">Gets the latency in force, when <paramref name="Behaviour"/> is <see cref="TargetFaultBehaviour.Latency"/>.</param>
public sealed record TargetFaultProxyEvent(DateTimeOffset At, TargetFaultBehaviour Behaviour, TimeSpan? Latency);
