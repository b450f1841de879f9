using System.Text.Json.Serialization;

namespace SinkIdempotency.Connect;

/// <summary>Holds the answer of <c>PUT /connector-plugins/{plugin}/config/validate</c>.</summary>
/// <param name="Name">Gets the plugin class that validated the configuration.</param>
/// <param name="ErrorCount">Gets the number of errors across all keys.</param>
/// <param name="Groups">Gets the configuration groups.</param>
/// <param name="Configs">Gets one entry per configuration key.</param>
public sealed record ConfigValidationResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("error_count")] int ErrorCount,
    [property: JsonPropertyName("groups")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("configs")] IReadOnlyList<ConfigValidationEntry> Configs)
{
    /// <summary>Lists every key that has errors, with its messages.</summary>
    /// <returns>Key name → error messages, for keys with at least one error.</returns>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ErrorsByKey() =>
        Configs.Where(c => c.Value.Errors.Count > 0).ToDictionary(c => c.Value.Name, c => c.Value.Errors, StringComparer.Ordinal);
}
