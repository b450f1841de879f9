using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes one configuration key of a plugin, as the validate endpoint reports it (<c>definition</c>).</summary>
/// <param name="Name">Gets the key name.</param>
/// <param name="Type">Gets the key type (<c>STRING</c>, <c>INT</c>, <c>PASSWORD</c>...).</param>
/// <param name="Required">Gets a value indicating whether the key has no default.</param>
/// <param name="DefaultValue">Gets the default value.</param>
/// <param name="Importance">Gets the importance (<c>HIGH</c>, <c>MEDIUM</c>, <c>LOW</c>).</param>
/// <param name="Documentation">Gets the documentation.</param>
/// <param name="Group">Gets the group the key belongs to.</param>
/// <param name="Order">Gets the order of the key in its group.</param>
/// <param name="Width">Gets the display width.</param>
/// <param name="DisplayName">Gets the display name.</param>
/// <param name="Dependents">Gets the keys that depend on this one.</param>
public sealed record ConfigKeyDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("default_value")] string? DefaultValue,
    [property: JsonPropertyName("importance")] string? Importance,
    [property: JsonPropertyName("documentation")] string? Documentation,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("width")] string? Width,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("dependents")] IReadOnlyList<string>? Dependents);
