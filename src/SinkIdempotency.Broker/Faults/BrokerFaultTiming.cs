namespace SinkIdempotency.Broker.Faults;

/// <summary>Names when an injected fault acts: before the broker handles the request, or after it has applied it.</summary>
public enum BrokerFaultTiming
{
    /// <summary>Acts instead of, or before, handling: the request has no effect until (unless) it is handled afterwards.</summary>
    BeforeHandling,

    /// <summary>
    /// Handles the request first (an OffsetCommit is stored, a Produce appended), then acts on the answer:
    /// replaces it with an error, closes the connection instead of sending it, or delays or holds it.
    /// </summary>
    AfterHandling,
}
