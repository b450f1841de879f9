using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes one installed plugin, as <c>GET /connector-plugins</c> reports it.</summary>
/// <param name="Class">Gets the plugin class name.</param>
/// <param name="Type">Gets the plugin type in lower case (<c>sink</c>, <c>source</c>, <c>converter</c>...).</param>
/// <param name="Version">Gets the plugin version.</param>
public sealed record ConnectorPluginInfo(
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("version")] string? Version);
