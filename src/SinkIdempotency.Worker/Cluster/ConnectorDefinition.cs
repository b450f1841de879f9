namespace SinkIdempotency.Worker.Cluster;

/// <summary>A connector as stored in the config topic: its configuration, task configurations and the offset it was written at (its generation).</summary>
internal sealed record ConnectorDefinition(
    string Name,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs,
    long Generation);
