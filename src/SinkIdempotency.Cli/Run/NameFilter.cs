using System.Text.RegularExpressions;

namespace SinkIdempotency.Cli.Run;

/// <summary>Matches scenario names for <c>--filter</c>: a glob when the pattern has <c>*</c> or <c>?</c>, otherwise a substring; case-insensitive.</summary>
internal static class NameFilter
{
    public static bool Matches(string? pattern, string name)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return true;
        }

        if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            return name.Contains(pattern, StringComparison.OrdinalIgnoreCase);
        }

        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
