using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds what <c>GET /connectors?expand=status&amp;expand=info</c> reports for one connector.</summary>
/// <param name="Status">Gets the status, when it was asked for.</param>
/// <param name="Info">Gets the configuration and tasks, when they were asked for.</param>
public sealed record ConnectorExpansion(
    [property: JsonPropertyName("status")] ConnectorStatus? Status,
    [property: JsonPropertyName("info")] ConnectorInfo? Info);
