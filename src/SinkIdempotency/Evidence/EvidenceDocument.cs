namespace SinkIdempotency.Evidence;

/// <summary>Holds everything written to a scenario's evidence file: what ran, where, and the timeline.</summary>
public sealed record EvidenceDocument
{
    /// <summary>Gets the schema version of the evidence file.</summary>
    /// <value><see cref="EvidenceJson.SchemaVersion"/>.</value>
    public int SchemaVersion { get; init; } = EvidenceJson.SchemaVersion;

    /// <summary>Gets the scenario name.</summary>
    /// <value>The name given to the scenario.</value>
    public required string Scenario { get; init; }

    /// <summary>Gets the run id that prefixes every topic, table and connector of the run.</summary>
    /// <value>Eight lowercase hex digits.</value>
    public required string RunId { get; init; }

    /// <summary>Gets the environment name.</summary>
    /// <value>For example <c>embedded</c>.</value>
    public required string Environment { get; init; }

    /// <summary>Gets the fault's report name, or <c>none</c>.</summary>
    /// <value>For example <c>crash-after-target-write</c>.</value>
    public required string Fault { get; init; }

    /// <summary>Gets the connector name.</summary>
    /// <value>The run's connector name.</value>
    public required string Connector { get; init; }

    /// <summary>Gets the connector configuration, with secrets replaced by <c>[redacted]</c>.</summary>
    /// <value>The configuration the runner deployed.</value>
    public required IReadOnlyDictionary<string, string> ConnectorConfig { get; init; }

    /// <summary>Gets the events, ordered by time.</summary>
    /// <value>The timeline.</value>
    public required IReadOnlyList<EvidenceEvent> Events { get; init; }
}
