using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds one connector's entry of <c>GET /connectors/{name}/topics</c>.</summary>
/// <param name="Topics">Gets the topic names.</param>
internal sealed record ConnectorTopics([property: JsonPropertyName("topics")] IReadOnlyList<string> Topics);
