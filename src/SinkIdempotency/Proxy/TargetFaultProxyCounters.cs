namespace SinkIdempotency.Proxy;

/// <summary>Holds a snapshot of what a <see cref="TargetFaultProxy"/> has done since it started, for evidence.</summary>
/// <param name="ConnectionsAccepted">Counts client connections the proxy accepted.</param>
/// <param name="ConnectionsOpen">Counts client connections open at the time of the snapshot.</param>
/// <param name="ConnectionsReset">Counts client connections the proxy reset on purpose.</param>
/// <param name="ConnectionsWithheld">Counts connections whose replies were withheld (blackholed connections).</param>
/// <param name="TargetConnectFailures">Counts client connections closed because the target could not be reached.</param>
/// <param name="RefusedPeriods">Counts times the proxy stopped listening to refuse connections.</param>
/// <param name="BytesClientToTarget">Counts bytes forwarded from clients to the target.</param>
/// <param name="BytesTargetToClient">Counts bytes forwarded from the target to clients.</param>
/// <param name="ResponsesWithheld">Counts reads from the target whose bytes were discarded instead of forwarded.</param>
/// <param name="BytesWithheld">Counts bytes from the target that were discarded.</param>
/// <param name="DurableWriteRepliesWithheld">Counts replies withheld because they told the client a write was durable (<see cref="TargetFaultProxy.WithholdNextDurableWriteReply"/>).</param>
public sealed record TargetFaultProxyCounters(
    long ConnectionsAccepted,
    long ConnectionsOpen,
    long ConnectionsReset,
    long ConnectionsWithheld,
    long TargetConnectFailures,
    long RefusedPeriods,
    long BytesClientToTarget,
    long BytesTargetToClient,
    long ResponsesWithheld,
    long BytesWithheld,
    long DurableWriteRepliesWithheld);
