using System.Text.RegularExpressions;

namespace SinkIdempotency.Evidence;

/// <summary>Replaces secrets in connector configurations and connection strings before they reach a report, log or attachment.</summary>
public static partial class SecretRedaction
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Tells whether a configuration key names a secret (<c>password</c>, <c>secret</c>, <c>token</c>, <c>credential</c>, <c>sasl.jaas.config</c>, API keys).</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns><see langword="true"/> when the value must not be shown.</returns>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretKeyPattern().IsMatch(key);
    }

    /// <summary>Copies a configuration with secret values replaced, and passwords inside connection strings and URLs replaced.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>The redacted copy, ordered by key.</returns>
    public static IReadOnlyDictionary<string, string> Redact(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            result[key] = IsSecretKey(key) ? Redacted : RedactText(value);
        }

        return result;
    }

    /// <summary>Replaces <c>Password=…</c> in connection strings and <c>user:password@</c> in URLs.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with passwords replaced.</returns>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ConnectionStringPassword().Replace(text, m => m.Groups[1].Value + Redacted);
        text = UrlPassword().Replace(text, m => m.Groups[1].Value + Redacted + "@");
        return QueryPassword().Replace(text, m => m.Groups[1].Value + Redacted);
    }

    [GeneratedRegex(@"(password|passwd|secret|token|credential|sasl\.jaas\.config|api\.key|apikey|access\.key)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex(@"((?:^|;)\s*(?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(://[^:/@\s]+:)[^@/\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"([?&]password=)[^&\s]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryPassword();
}
