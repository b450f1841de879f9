namespace SinkIdempotency.Evidence;

/// <summary>Records an observation the runner's sampler tried and could not make (a worker being killed, a rebalance), so plots show a gap rather than a line through it.</summary>
public sealed record SampleGapEvidence : EvidenceEvent
{
    /// <summary>The observation of the offsets (end and committed).</summary>
    public const string Offsets = "offsets";

    /// <summary>The observation of the connector's and its tasks' states.</summary>
    public const string Connector = "connector";

    /// <summary>The observation of the sink's consumer group (who owns which partition), for unplanned rebalances.</summary>
    public const string Group = "group";

    /// <summary>The observation of the target's row count and checksum.</summary>
    public const string Target = "target";

    /// <summary>Gets which observation failed: <see cref="Offsets"/>, <see cref="Connector"/>, <see cref="Group"/> or <see cref="Target"/>.</summary>
    /// <value>A short name.</value>
    public required string Observation { get; init; }

    /// <summary>Gets why it failed.</summary>
    /// <value>The error message, secrets redacted.</value>
    public required string Error { get; init; }
}
