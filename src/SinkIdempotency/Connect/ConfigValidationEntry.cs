using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Pairs a configuration key's definition with its validated value.</summary>
/// <param name="Definition">Gets the key definition; absent for keys the plugin does not define.</param>
/// <param name="Value">Gets the validated value and its errors.</param>
public sealed record ConfigValidationEntry(
    [property: JsonPropertyName("definition")] ConfigKeyDefinition? Definition,
    [property: JsonPropertyName("value")] ConfigValueReport Value);
