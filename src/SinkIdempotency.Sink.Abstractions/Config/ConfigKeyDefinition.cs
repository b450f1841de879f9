namespace SinkIdempotency.Sink;

/// <summary>Defines one configuration key: type, default, documentation and validation (Connect's <c>ConfigDef.ConfigKey</c>).</summary>
public sealed class ConfigKeyDefinition
{
    /// <summary>Gets the key.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the value type.</summary>
    /// <value>Defaults to <see cref="ConfigType.String"/>.</value>
    public ConfigType Type { get; init; } = ConfigType.String;

    /// <summary>Gets the default value as text; ignored when <see cref="IsRequired"/>.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>Gets a value indicating whether the key has no default and must be set.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool IsRequired { get; init; }

    /// <summary>Gets the importance.</summary>
    /// <value>Defaults to <see cref="ConfigImportance.Medium"/>.</value>
    public ConfigImportance Importance { get; init; } = ConfigImportance.Medium;

    /// <summary>Gets the documentation.</summary>
    /// <value>Defaults to empty.</value>
    public string Documentation { get; init; } = "";

    /// <summary>Gets the group shown by the validate endpoint, or <see langword="null"/>.</summary>
    public string? Group { get; init; }

    /// <summary>Gets the position in its group.</summary>
    /// <value>Defaults to -1.</value>
    public int OrderInGroup { get; init; } = -1;

    /// <summary>Gets the display name.</summary>
    /// <value>Defaults to the key.</value>
    public string? DisplayName { get; init; }

    /// <summary>Gets the allowed values (compared ignoring case), or <see langword="null"/> for any.</summary>
    public IReadOnlyList<string>? ValidValues { get; init; }

    /// <summary>Gets the smallest allowed number for numeric keys, or <see langword="null"/>.</summary>
    public long? AtLeast { get; init; }

    /// <summary>Gets an extra check returning an error message for a bad value, or <see langword="null"/> when fine.</summary>
    public Func<string?, string?>? Validator { get; init; }
}
