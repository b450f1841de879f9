using SinkIdempotency.Proxy;

namespace SinkIdempotency.Evidence;

/// <summary>Records the target fault proxy's counters.</summary>
public sealed record ProxyCountersEvidence : EvidenceEvent
{
    /// <summary>Gets the proxy's behaviour at the time.</summary>
    /// <value>A <see cref="TargetFaultBehaviour"/> name.</value>
    public required string Behaviour { get; init; }

    /// <summary>Gets the counters.</summary>
    /// <value>A snapshot.</value>
    public required TargetFaultProxyCounters Counters { get; init; }

    /// <summary>Gets the first reply withheld on each blackholed connection so far: why, and what it was.</summary>
    /// <value>The default is <see langword="null"/> (not written): the target timeout's before and after snapshots carry them, periodic samples do not.</value>
    public IReadOnlyList<TargetFaultProxyWithheldReply>? WithheldReplies { get; init; }
}
