namespace SinkIdempotency.Proxy;

/// <content>Counters kept for evidence; every field is updated with <see cref="Interlocked"/>.</content>
public sealed partial class TargetFaultProxy
{
    private long _connectionsAccepted;
    private long _connectionsReset;
    private long _connectionsWithheld;
    private long _targetConnectFailures;
    private long _refusedPeriods;
    private long _bytesClientToTarget;
    private long _bytesTargetToClient;
    private long _responsesWithheld;
    private long _bytesWithheld;
    private long _durableWriteRepliesWithheld;

    internal void CountClientToTarget(int bytes) => Interlocked.Add(ref _bytesClientToTarget, bytes);

    internal void CountTargetToClient(int bytes) => Interlocked.Add(ref _bytesTargetToClient, bytes);

    internal void CountWithheld(int bytes)
    {
        Interlocked.Increment(ref _responsesWithheld);
        Interlocked.Add(ref _bytesWithheld, bytes);
    }
}
