using System.Globalization;

namespace SinkIdempotency.Sink;

/// <summary>Reads validated configuration values with their defaults applied (Connect's <c>AbstractConfig</c>).</summary>
public sealed class ParsedConfig
{
    private readonly ConfigDefinition _definition;
    private readonly IReadOnlyDictionary<string, string> _values;

    internal ParsedConfig(ConfigDefinition definition, IReadOnlyDictionary<string, string> values)
    {
        _definition = definition;
        _values = values;
    }

    /// <summary>Gets the configuration as given, including keys the definition does not know.</summary>
    public IReadOnlyDictionary<string, string> Originals => _values;

    /// <summary>Reads a text value.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The value or the default, trimmed; <see langword="null"/> when neither exists.</returns>
    public string? GetString(string name) => Raw(name)?.Trim();

    /// <summary>Reads a 32-bit integer value.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The value or the default.</returns>
    public int GetInt(string name) => int.Parse(Required(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Reads a 64-bit integer value.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The value or the default.</returns>
    public long GetLong(string name) => long.Parse(Required(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>Reads a boolean value.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The value or the default.</returns>
    public bool GetBoolean(string name) => bool.Parse(Required(name));

    /// <summary>Reads a comma-separated list, trimming items and dropping empty ones.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The items; empty when unset.</returns>
    public IReadOnlyList<string> GetList(string name) =>
        (Raw(name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private string? Raw(string name) =>
        _values.TryGetValue(name, out var value) ? value : _definition.Find(name)?.DefaultValue;

    private string Required(string name) =>
        GetString(name) ?? throw new ConfigException($"Missing required configuration \"{name}\" which has no default value.");
}
