namespace SinkIdempotency.Broker.Groups;

/// <summary>Names the states of a classic consumer group, as Kafka's group coordinator does.</summary>
public enum BrokerGroupState
{
    /// <summary>Has no members; may still hold committed offsets.</summary>
    Empty,

    /// <summary>Waits for the members to (re)join.</summary>
    PreparingRebalance,

    /// <summary>Has answered the joins and waits for the leader's assignment.</summary>
    CompletingRebalance,

    /// <summary>Runs with an assignment every member knows.</summary>
    Stable,

    /// <summary>Has been deleted.</summary>
    Dead,
}
