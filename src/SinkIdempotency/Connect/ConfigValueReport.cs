using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Describes the validated value of one configuration key (<c>value</c> in the validate response).</summary>
/// <param name="Name">Gets the key name.</param>
/// <param name="Value">Gets the value that was validated.</param>
/// <param name="RecommendedValues">Gets the values the plugin recommends.</param>
/// <param name="Errors">Gets the validation errors for this key; empty when it is valid.</param>
/// <param name="Visible">Gets a value indicating whether the key is visible given the other values.</param>
public sealed record ConfigValueReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("recommended_values")] IReadOnlyList<string>? RecommendedValues,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors,
    [property: JsonPropertyName("visible")] bool Visible);
