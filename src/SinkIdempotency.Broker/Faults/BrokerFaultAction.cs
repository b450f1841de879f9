namespace SinkIdempotency.Broker.Faults;

/// <summary>Names what an injected fault does to a request it matches.</summary>
public enum BrokerFaultAction
{
    /// <summary>Answers at once with a well-formed response of the request's API carrying <see cref="BrokerFaultOptions.Error"/> everywhere.</summary>
    RespondWithError,

    /// <summary>Waits <see cref="BrokerFaultOptions.Delay"/> on the broker's clock, then handles the request normally.</summary>
    Delay,

    /// <summary>Parks the request until <see cref="BrokerFault.Release"/> is called (or its connection closes), then handles it normally.</summary>
    Hold,

    /// <summary>Closes the connection the request arrived on without answering it.</summary>
    DropConnection,
}
