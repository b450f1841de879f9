using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes a connector's configuration and tasks, as <c>GET /connectors/{name}</c> reports it.</summary>
/// <param name="Name">Gets the connector name.</param>
/// <param name="Config">Gets the connector configuration (values are strings, as Connect stores them).</param>
/// <param name="Tasks">Gets the ids of the connector's tasks.</param>
/// <param name="Type">Gets the connector type in lower case: <c>sink</c>, <c>source</c> or <c>unknown</c>.</param>
public sealed record ConnectorInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, string> Config,
    [property: JsonPropertyName("tasks")] IReadOnlyList<ConnectorTaskId> Tasks,
    [property: JsonPropertyName("type")] string? Type);
