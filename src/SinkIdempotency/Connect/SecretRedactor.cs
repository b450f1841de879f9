using System.Text.RegularExpressions;

namespace SinkIdempotency.Connect;

/// <summary>Hides secrets in connector configurations and connection strings before they reach a report, log or attachment.</summary>
public static partial class SecretRedactor
{
    /// <summary>Gets the text that replaces a secret.</summary>
    public const string Redacted = "[redacted]";

    private static readonly string[] SecretWords = ["password", "passwd", "pwd", "secret", "token", "credential", "credentials", "jaas", "apikey", "privatekey", "accesskey", "passphrase", "auth"];

    /// <summary>Determines whether a configuration key names a secret: a segment such as <c>password</c>, <c>secret</c>, <c>token</c>, <c>jaas</c>, or a last segment <c>key</c> (e.g. <c>api.key</c>); <c>key.converter</c> and similar are not secrets.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns><see langword="true"/> when the value must be hidden.</returns>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var segments = key.ToUpperInvariant().Split(['.', '_', '-'], StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return false;
        }

        foreach (var segment in segments)
        {
            foreach (var word in SecretWords)
            {
                if (segment.Equals(word, StringComparison.OrdinalIgnoreCase)
                    || (word.Length > 5 && segment.Contains(word, StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
        }

        return segments[^1].Equals("KEY", StringComparison.Ordinal) || segments[^1].EndsWith("SECRET", StringComparison.Ordinal);
    }

    /// <summary>Copies a configuration with secret values replaced by <see cref="Redacted"/> and passwords inside URLs or connection strings hidden.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>A new map with the same keys, safe to report.</returns>
    public static IReadOnlyDictionary<string, string> RedactConfig(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ToDictionary(
            kv => kv.Key,
            kv => IsSecretKey(kv.Key) ? Redacted : RedactValue(kv.Value),
            StringComparer.Ordinal);
    }

    /// <summary>Hides passwords inside a value: <c>password=…</c> pairs of connection strings and JDBC URLs, and <c>user:password@</c> in URLs.</summary>
    /// <param name="value">The value, e.g. a connection string.</param>
    /// <returns>The value with its passwords replaced by <see cref="Redacted"/>.</returns>
    public static string RedactValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hidden = PasswordPair().Replace(value, m => m.Groups["name"].Value + m.Groups["eq"].Value + Redacted);
        return UserInfo().Replace(hidden, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Redacted + "@");
    }

    [GeneratedRegex(@"(?<name>\b(?:password|passwd|pwd|secret|token|api[-_.]?key)\b)(?<eq>\s*=\s*)[^;&\s]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPair();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
