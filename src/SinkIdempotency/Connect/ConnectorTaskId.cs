using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Identifies one task of a connector, as Connect writes it (<c>{"connector":"x","task":0}</c>).</summary>
/// <param name="Connector">Gets the connector name.</param>
/// <param name="Task">Gets the task number.</param>
public sealed record ConnectorTaskId(
    [property: JsonPropertyName("connector")] string Connector,
    [property: JsonPropertyName("task")] int Task)
{
    /// <summary>Formats the id the way Connect names tasks (<c>name-0</c>).</summary>
    /// <returns>The connector name, a dash and the task number.</returns>
    public override string ToString() => $"{Connector}-{Task}";
}
