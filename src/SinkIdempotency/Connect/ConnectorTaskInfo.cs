using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes one task and its configuration, as <c>GET /connectors/{name}/tasks</c> reports it.</summary>
/// <param name="Id">Gets the task id.</param>
/// <param name="Config">Gets the task configuration.</param>
public sealed record ConnectorTaskInfo(
    [property: JsonPropertyName("id")] ConnectorTaskId Id,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, string> Config);
