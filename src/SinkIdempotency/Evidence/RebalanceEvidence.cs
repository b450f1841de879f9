namespace SinkIdempotency.Evidence;

/// <summary>Records that the sink's consumer group changed its members or their partitions, and whether the harness caused it.</summary>
/// <remarks>
/// A rebalance the harness did not cause (<see cref="Planned"/> false) is a warning: something the scenario did not ask
/// for — a member paused past its <c>session.timeout.ms</c>, a poll loop past <c>max.poll.interval.ms</c> — disturbed the
/// run, and the result is also listed in <see cref="Scenarios.ScenarioResult.Warnings"/>.
/// </remarks>
public sealed record RebalanceEvidence : EvidenceEvent
{
    /// <summary>Gets the consumer group.</summary>
    /// <value>The group id (<c>connect-&lt;connector&gt;</c>).</value>
    public required string Group { get; init; }

    /// <summary>Gets the members before the change: member id → <c>client id@host: partitions</c>.</summary>
    /// <value>Empty when the group had no member.</value>
    public required IReadOnlyDictionary<string, string> Before { get; init; }

    /// <summary>Gets the members after the change.</summary>
    /// <value>Empty when the group has no member left.</value>
    public required IReadOnlyDictionary<string, string> After { get; init; }

    /// <summary>Gets a value indicating whether a harness action (the deployment, or a fault's action) explains the change.</summary>
    /// <value><see langword="false"/> for a rebalance nobody asked for: a warning.</value>
    public required bool Planned { get; init; }

    /// <summary>Gets the harness action the change is attributed to, for example <c>fault kill-worker</c>, or <see langword="null"/> when unplanned.</summary>
    /// <value>The action's description.</value>
    public string? Cause { get; init; }
}
