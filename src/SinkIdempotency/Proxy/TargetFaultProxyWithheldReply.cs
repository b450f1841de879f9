namespace SinkIdempotency.Proxy;

/// <summary>Records the first reply a <see cref="TargetFaultProxy"/> withheld on one connection: when, why, and what it was.</summary>
/// <param name="At">The time the reply was withheld, from the proxy's <see cref="TimeProvider"/>.</param>
/// <param name="ConnectionId">The proxy's number for the connection (1 for the first accepted).</param>
/// <param name="Behaviour">The behaviour that withheld it: <see cref="TargetFaultBehaviour.WithholdDurableWriteReply"/>, <see cref="TargetFaultBehaviour.WithholdNextResponse"/> or <see cref="TargetFaultBehaviour.WithholdResponses"/>.</param>
/// <param name="Reply">The withheld reply as PostgreSQL messages, for example <c>CommandComplete "COMMIT" ending a transaction that wrote</c>; everything after it on the connection was withheld too.</param>
public sealed record TargetFaultProxyWithheldReply(DateTimeOffset At, long ConnectionId, TargetFaultBehaviour Behaviour, string Reply);
