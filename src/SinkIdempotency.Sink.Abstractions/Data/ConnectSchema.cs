using System.Text.Json.Nodes;

namespace SinkIdempotency.Sink;

/// <summary>Describes the shape of a key or value, as Connect's <c>Schema</c> does (and JsonConverter's <c>schema</c> envelope carries).</summary>
public sealed class ConnectSchema
{
    /// <summary>Gets a schema for an optional string, what the string converter produces.</summary>
    public static ConnectSchema OptionalString { get; } = new() { Type = ConnectSchemaType.String, IsOptional = true };

    /// <summary>Gets the type.</summary>
    public required ConnectSchemaType Type { get; init; }

    /// <summary>Gets a value indicating whether null is allowed.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool IsOptional { get; init; }

    /// <summary>Gets the schema name (logical type names such as <c>org.apache.kafka.connect.data.Timestamp</c> live here).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the schema version.</summary>
    public int? Version { get; init; }

    /// <summary>Gets the documentation.</summary>
    public string? Doc { get; init; }

    /// <summary>Gets the default value.</summary>
    public JsonNode? DefaultValue { get; init; }

    /// <summary>Gets the fields of a struct, in order; empty for other types.</summary>
    public IReadOnlyList<ConnectField> Fields { get; init; } = [];

    /// <summary>Gets the key schema of a map.</summary>
    public ConnectSchema? KeySchema { get; init; }

    /// <summary>Gets the value schema of a map or the item schema of an array.</summary>
    public ConnectSchema? ValueSchema { get; init; }

    /// <summary>Gets the schema parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Finds a struct field by name.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The field, or <see langword="null"/> when the schema has no such field.</returns>
    public ConnectField? Field(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }
}
