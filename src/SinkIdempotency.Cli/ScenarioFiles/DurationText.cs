using System.Globalization;

namespace SinkIdempotency.Cli.ScenarioFiles;

/// <summary>Parses and formats durations written as <c>500ms</c>, <c>30s</c>, <c>2m</c> or <c>1h</c>.</summary>
internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var (number, unit) = trimmed.EndsWith("ms", StringComparison.Ordinal) ? (trimmed[..^2], 0.001)
            : trimmed.EndsWith('s') ? (trimmed[..^1], 1.0)
            : trimmed.EndsWith('m') ? (trimmed[..^1], 60.0)
            : trimmed.EndsWith('h') ? (trimmed[..^1], 3600.0)
            : (string.Empty, 0.0);
        if (unit == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalHours >= 1 && value.TotalHours % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours}h")
        : value.TotalMinutes >= 1 && value.TotalMinutes % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes}m")
        : value.TotalSeconds % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds}s")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
}
