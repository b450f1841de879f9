namespace SinkIdempotency.Broker.Faults;

/// <summary>Names what an injected fault does to a request it matches.</summary>
public enum BrokerFaultAction
{
    /// <summary>Answers with a well-formed response of the request's API carrying <see cref="BrokerFaultOptions.Error"/> everywhere (after handling it first with <see cref="BrokerFaultTiming.AfterHandling"/>).</summary>
    RespondWithError,

    /// <summary>Waits <see cref="BrokerFaultOptions.Delay"/> on the broker's clock, then handles the request normally (or, after handling, sends its answer late).</summary>
    Delay,

    /// <summary>Parks the request (or, after handling, its answer) until <see cref="BrokerFault.Release"/> is called or its connection closes.</summary>
    Hold,

    /// <summary>Closes the connection the request arrived on without answering it (after handling it first with <see cref="BrokerFaultTiming.AfterHandling"/>).</summary>
    DropConnection,
}
