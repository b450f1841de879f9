using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes a connector's state and its tasks' states, as <c>GET /connectors/{name}/status</c> reports it.</summary>
/// <param name="Name">Gets the connector name.</param>
/// <param name="Connector">Gets the state of the connector instance.</param>
/// <param name="Tasks">Gets the states of the tasks; empty for a stopped connector.</param>
/// <param name="Type">Gets the connector type in lower case.</param>
public sealed record ConnectorStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("connector")] ConnectorInstanceStatus Connector,
    [property: JsonPropertyName("tasks")] IReadOnlyList<ConnectorTaskStatus> Tasks,
    [property: JsonPropertyName("type")] string? Type)
{
    /// <summary>Determines whether the connector and exactly <paramref name="taskCount"/> tasks are all in <paramref name="state"/>.</summary>
    /// <param name="state">The state every instance must be in.</param>
    /// <param name="taskCount">The exact number of tasks expected.</param>
    /// <returns><see langword="true"/> when the connector and every one of exactly that many tasks are in the state.</returns>
    public bool IsAll(string state, int taskCount) =>
        Connector.State == state && Tasks.Count == taskCount && Tasks.All(t => t.State == state);
}
