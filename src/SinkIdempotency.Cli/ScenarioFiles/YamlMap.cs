using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SinkIdempotency.Cli.ScenarioFiles;

/// <summary>Reads one YAML mapping of a scenario file with typed, range-checked getters; every error names the file, line, column and key path.</summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private YamlMap(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode scalar || scalar.Value is null)
            {
                throw Error(key.Start, path, "keys must be plain names");
            }

            if (!_entries.TryAdd(scalar.Value, (scalar, value)))
            {
                throw Error(key.Start, Join(path, scalar.Value), "duplicate key");
            }
        }
    }

    public string File { get; }

    public string Path { get; }

    public static YamlMap Root(string file, YamlNode node) => node is YamlMappingNode map
        ? new YamlMap(file, string.Empty, map)
        : throw Error(file, node.Start, null, "expected a mapping with the keys name, connector and declared at the top of the file");

    public bool Has(string key) => _entries.ContainsKey(key);

    public ScenarioFileException Error(string key, string problem) =>
        _entries.TryGetValue(key, out var entry) ? Error(entry.Value.Start, Join(Path, key), problem) : Error(_node.Start, Join(Path, key), problem);

    public ScenarioFileException ErrorAtKey(string key, string problem) =>
        _entries.TryGetValue(key, out var entry) ? Error(entry.Key.Start, Join(Path, key), problem) : Error(_node.Start, Join(Path, key), problem);

    public YamlMap? Map(string key, bool required = false)
    {
        if (Node(key, required, "a mapping") is not { } node)
        {
            return null;
        }

        return node is YamlMappingNode map ? new YamlMap(File, Join(Path, key), map) : throw WrongType(key, node, "a mapping");
    }

    public string? String(string key, bool required = false)
    {
        var scalar = Scalar(key, required, "a string");
        if (scalar is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(scalar.Value))
        {
            throw Error(key, "must not be empty");
        }

        return scalar.Value;
    }

    public int? Int(string key, int min, int max, bool required = false)
    {
        var scalar = Scalar(key, required, "an integer");
        if (scalar is null)
        {
            return null;
        }

        if (!long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            throw Error(key, $"expected an integer, got '{scalar.Value}'");
        }

        return value < min || value > max
            ? throw Error(key, string.Create(CultureInfo.InvariantCulture, $"{value} is out of range; expected {min} to {max}"))
            : (int)value;
    }

    public double? Double(string key, double min, double max, bool maxExclusive, bool required = false)
    {
        var scalar = Scalar(key, required, "a number");
        if (scalar is null)
        {
            return null;
        }

        if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            throw Error(key, $"expected a number, got '{scalar.Value}'");
        }

        var above = maxExclusive ? value >= max : value > max;
        return value < min || above
            ? throw Error(key, string.Create(CultureInfo.InvariantCulture, $"{scalar.Value} is out of range; expected {min} to {max}{(maxExclusive ? " (exclusive)" : string.Empty)}"))
            : value;
    }

    public bool? Bool(string key)
    {
        var scalar = Scalar(key, false, "true or false");
        if (scalar is null)
        {
            return null;
        }

        return scalar.Value switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error(key, $"expected true or false, got '{scalar.Value}'"),
        };
    }

    public TimeSpan? Duration(string key, TimeSpan max)
    {
        var scalar = Scalar(key, false, "a duration");
        if (scalar is null)
        {
            return null;
        }

        if (!DurationText.TryParse(scalar.Value, out var value))
        {
            throw Error(key, $"expected a duration such as 500ms, 30s or 2m, got '{scalar.Value}'");
        }

        return value <= TimeSpan.Zero || value > max
            ? throw Error(key, $"{scalar.Value} is out of range; expected more than 0 and at most {DurationText.Format(max)}")
            : value;
    }

    /// <summary>Reads a value that must be one of <paramref name="names"/>; <paramref name="what"/> names the kind in the error (<c>unknown fault 'crash'</c>).</summary>
    public string? OneOf(string key, string what, IReadOnlyList<string> names, bool required = false)
    {
        var scalar = Scalar(key, required, $"one of {string.Join(", ", names)}");
        if (scalar is null)
        {
            return null;
        }

        return names.Contains(scalar.Value!, StringComparer.Ordinal)
            ? scalar.Value
            : throw Error(key, $"unknown {what} '{scalar.Value}'; expected one of {string.Join(", ", names)}");
    }

    /// <summary>Reads a mapping of names to scalars (numbers and booleans are kept as written).</summary>
    public IReadOnlyDictionary<string, string>? StringMap(string key, bool required = false)
    {
        var map = Map(key, required);
        if (map is null)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, (_, value)) in map._entries)
        {
            map._read.Add(name);
            values[name] = value is YamlScalarNode scalar
                ? scalar.Value ?? string.Empty
                : throw map.WrongType(name, value, "a string, number or boolean");
        }

        return values;
    }

    /// <summary>Reads a list of non-empty strings; a single string counts as a list of one.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        if (Node(key, required: false, "a list of strings") is not { } node)
        {
            return null;
        }

        IEnumerable<YamlNode> items = node is YamlSequenceNode sequence ? sequence.Children : [node];
        var values = new List<string>();
        foreach (var item in items)
        {
            values.Add(item is YamlScalarNode { Value: { Length: > 0 } value } && !string.IsNullOrWhiteSpace(value)
                ? value
                : throw Error(item.Start, Join(Path, key), "expected a list of non-empty strings"));
        }

        return values;
    }

    /// <summary>Reads a list of mappings; each item's errors name it as <c>key[i]</c>.</summary>
    public IReadOnlyList<YamlMap>? MapList(string key, bool required = false)
    {
        if (Node(key, required, "a list of mappings") is not { } node)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw WrongType(key, node, "a list of mappings");
        }

        var items = new List<YamlMap>();
        foreach (var (item, index) in sequence.Children.Select((item, index) => (item, index)))
        {
            var path = Join(Path, string.Create(CultureInfo.InvariantCulture, $"{key}[{index}]"));
            items.Add(item is YamlMappingNode map ? new YamlMap(File, path, map) : throw Error(item.Start, path, "expected a mapping"));
        }

        return items;
    }

    /// <summary>Throws for the first key that no getter read.</summary>
    public void RejectUnknownKeys(IReadOnlyList<string> known)
    {
        foreach (var (name, (key, _)) in _entries)
        {
            if (!_read.Contains(name))
            {
                throw Error(key.Start, Join(Path, name), $"unknown key '{name}'; expected one of {string.Join(", ", known)}");
            }
        }
    }

    private YamlNode? Node(string key, bool required, string expected)
    {
        _read.Add(key);
        if (_entries.TryGetValue(key, out var entry) && !IsNull(entry.Value))
        {
            return entry.Value;
        }

        return required ? throw Error(_node.Start, Join(Path, key), $"missing required key; expected {expected}") : null;
    }

    private YamlScalarNode? Scalar(string key, bool required, string expected)
    {
        var node = Node(key, required, expected);
        return node is null ? null : node as YamlScalarNode ?? throw WrongType(key, node, expected);
    }

    private ScenarioFileException WrongType(string key, YamlNode node, string expected) =>
        Error(node.Start, Join(Path, key), $"expected {expected}, got a {(node is YamlSequenceNode ? "list" : node is YamlMappingNode ? "mapping" : "value")}");

    private ScenarioFileException Error(Mark mark, string? key, string problem) => Error(File, mark, key, problem);

    private static ScenarioFileException Error(string file, Mark mark, string? key, string problem) =>
        new(file, mark.Line, mark.Column, key, problem);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
