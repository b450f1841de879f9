using System.Globalization;

namespace SinkIdempotency.Sink;

/// <summary>Defines the configuration keys of a connector and validates and parses them with Connect's messages (Connect's <c>ConfigDef</c>).</summary>
public sealed class ConfigDefinition
{
    private readonly List<ConfigKeyDefinition> _keys = [];

    /// <summary>Gets the keys in definition order.</summary>
    public IReadOnlyList<ConfigKeyDefinition> Keys => _keys;

    /// <summary>Adds a key.</summary>
    /// <param name="key">The key definition.</param>
    /// <returns>This definition, for chaining.</returns>
    public ConfigDefinition Define(ConfigKeyDefinition key)
    {
        if (_keys.Exists(k => k.Name == key.Name))
        {
            throw new ConfigException($"Configuration {key.Name} is defined twice.");
        }

        _keys.Add(key);
        return this;
    }

    /// <summary>Finds a key by name.</summary>
    /// <param name="name">The key.</param>
    /// <returns>The definition, or <see langword="null"/>.</returns>
    public ConfigKeyDefinition? Find(string name) => _keys.Find(k => k.Name == name);

    /// <summary>Validates every defined key of a configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>One result per defined key, in definition order.</returns>
    public IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> config)
    {
        var results = new List<ConfigValue>(_keys.Count);
        foreach (var key in _keys)
        {
            var result = new ConfigValue(key.Name);
            var present = config.TryGetValue(key.Name, out var raw);
            result.Value = present ? raw : key.IsRequired ? null : key.DefaultValue;
            foreach (var recommended in key.ValidValues ?? [])
            {
                result.RecommendedValues.Add(recommended);
            }

            var error = Check(key, present ? raw : null, present);
            if (error is not null)
            {
                result.Errors.Add(error);
            }

            results.Add(result);
        }

        return results;
    }

    /// <summary>Validates a configuration and returns the parsed values, or throws naming the first bad key.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The values with defaults applied.</returns>
    /// <exception cref="ConfigException">A key is missing or invalid.</exception>
    public ParsedConfig Parse(IReadOnlyDictionary<string, string> config)
    {
        foreach (var result in Validate(config))
        {
            if (result.Errors.Count > 0)
            {
                throw new ConfigException(result.Errors[0]);
            }
        }

        return new ParsedConfig(this, config);
    }

    private static string? Check(ConfigKeyDefinition key, string? raw, bool present)
    {
        if (!present)
        {
            return key.IsRequired ? $"Missing required configuration \"{key.Name}\" which has no default value." : null;
        }

        var value = raw?.Trim();
        string? typeError = key.Type switch
        {
            ConfigType.Int => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type INT",
            ConfigType.Short => short.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type SHORT",
            ConfigType.Long => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type LONG",
            ConfigType.Double => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "Not a number of type DOUBLE",
            ConfigType.Boolean => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase))
                ? null
                : "Expected value to be either true or false",
            _ => null,
        };
        if (typeError is not null)
        {
            return $"Invalid value {raw} for configuration {key.Name}: {typeError}";
        }

        if (key.AtLeast is long min && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number < min)
        {
            return $"Invalid value {raw} for configuration {key.Name}: Value must be at least {min}";
        }

        if (key.ValidValues is { } valid && !valid.Contains(value ?? "", StringComparer.OrdinalIgnoreCase))
        {
            return $"Invalid value {raw} for configuration {key.Name}: String must be one of: {string.Join(", ", valid)}";
        }

        if (key.Validator?.Invoke(raw) is { } custom)
        {
            return $"Invalid value {raw} for configuration {key.Name}: {custom}";
        }

        return null;
    }
}
