using SinkIdempotency.Faults;

namespace SinkIdempotency.Cli.ScenarioFiles;

/// <summary>Reads a fault's settings from its <c>fault:</c> map, so errors point at the file, line and key.</summary>
internal sealed class YamlFaultSettings(YamlMap map, TimeSpan maxDuration) : IFaultSettings
{
    public int? Int(string key, int min, int max) => map.Int(key, min, max);

    public double? Double(string key, double min, double max, bool maxExclusive) => map.Double(key, min, max, maxExclusive);

    public bool? Bool(string key) => map.Bool(key);

    public TimeSpan? Duration(string key) => map.Duration(key, maxDuration);

    public string? OneOf(string key, string what, IReadOnlyList<string> names) => map.OneOf(key, what, names);
}
