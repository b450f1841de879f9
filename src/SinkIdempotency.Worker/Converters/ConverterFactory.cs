using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Converters;

/// <summary>Creates key and value converters from <c>key.converter</c>/<c>value.converter</c> and their prefixed settings, connector over worker.</summary>
internal static class ConverterFactory
{
    public const string JsonConverterClass = "org.apache.kafka.connect.json.JsonConverter";
    public const string StringConverterClass = "org.apache.kafka.connect.storage.StringConverter";
    public const string ByteArrayConverterClass = "org.apache.kafka.connect.converters.ByteArrayConverter";

    public static IReadOnlyList<string> KnownClasses { get; } = [JsonConverterClass, StringConverterClass, ByteArrayConverterClass];

    /// <summary>Creates the converter for <paramref name="prefix"/> (<c>key.converter</c> or <c>value.converter</c>).</summary>
    public static IRecordConverter Create(
        string prefix,
        IReadOnlyDictionary<string, string> connectorConfig,
        IReadOnlyDictionary<string, string> workerConfig)
    {
        var source = connectorConfig.ContainsKey(prefix) ? connectorConfig : workerConfig;
        var className = source.TryGetValue(prefix, out var c) ? c.Trim() : JsonConverterClass;
        var kind = Resolve(className) ?? throw new ConfigException(
            $"Invalid value {className} for configuration {prefix}: Class {className} could not be found.");
        switch (kind)
        {
            case JsonConverterClass:
                var key = prefix + ".schemas.enable";
                var raw = source.TryGetValue(key, out var s) ? s : "true";
                if (!bool.TryParse(raw.Trim(), out var schemasEnabled))
                {
                    throw new ConfigException($"Invalid value {raw} for configuration schemas.enable: Expected value to be either true or false");
                }

                return new JsonConverter(schemasEnabled);
            case StringConverterClass:
                return new StringConverter();
            default:
                return new ByteArrayConverter();
        }
    }

    /// <summary>Maps a class name or alias to a known converter class, or <see langword="null"/>.</summary>
    public static string? Resolve(string className)
    {
        foreach (var known in KnownClasses)
        {
            if (known == className || known[(known.LastIndexOf('.') + 1)..] == className)
            {
                return known;
            }
        }

        return null;
    }
}
