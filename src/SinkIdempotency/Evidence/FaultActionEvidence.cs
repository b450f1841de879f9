namespace SinkIdempotency.Evidence;

/// <summary>Records something a fault did (armed, fired, healed, gave up) and the facts that justified it.</summary>
public sealed record FaultActionEvidence : EvidenceEvent
{
    /// <summary>Gets the fault's report name (for example <c>crash-after-target-write</c>).</summary>
    /// <value>The fault name.</value>
    public required string Fault { get; init; }

    /// <summary>Gets the action (for example <c>kill-worker</c>).</summary>
    /// <value>A short kebab-case name.</value>
    public required string Action { get; init; }

    /// <summary>Gets a sentence describing the action.</summary>
    /// <value>A sentence.</value>
    public required string Detail { get; init; }

    /// <summary>Gets the crash window at the moment of a kill, or <see langword="null"/> for other actions.</summary>
    /// <value>Set by <see cref="Faults.CrashAfterTargetWrite"/> and by a worker death placed in the window.</value>
    public CrashWindow? Window { get; init; }
}
