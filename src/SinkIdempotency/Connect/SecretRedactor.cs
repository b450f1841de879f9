using System.Text;
using System.Text.RegularExpressions;

namespace SinkIdempotency.Connect;

/// <summary>Hides secrets in configurations, connection strings, logs and messages before they reach evidence, a report, a log or the console.</summary>
/// <remarks>
/// <para>
/// Secrets are found by their key and by their shape, never by searching a text for a known value: replacing a password's
/// text wherever it occurs mangles ordinary words (a password <c>x</c> would turn "external" into "e[redacted]ternal") and,
/// by the hole it leaves, tells the password.
/// </para>
/// <para>
/// In free text these shapes are hidden: <c>key=value</c> pairs whose key names a secret (connection strings, URL queries,
/// property dumps, JAAS options such as <c>password="…"</c>; an unquoted value ends at white space or one of <c>; &amp; , ) ] }</c>),
/// JSON members whose name names a secret, the password of URL user info (<c>scheme://user:password@</c>), the credentials of
/// <c>Authorization</c> and secret-named HTTP headers, and PEM private keys. Structured values are redacted through their
/// structure instead (<see cref="RedactConfig"/>, <see cref="RedactConnectionString"/>), which also covers values holding
/// white space.
/// </para>
/// </remarks>
public static partial class SecretRedactor
{
    /// <summary>The text that replaces a secret.</summary>
    public const string Redacted = "[redacted]";

    // Words that make a key secret wherever they stand in it.
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "password", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "tokens", "credential", "credentials", "creds",
        "jaas", "apikey", "privatekey", "accesskey", "secretkey", "auth", "authorization", "userinfo",
    };

    // Longer words that make a key secret even inside a word run together ("connectionpassword", "clientsecretvalue").
    private static readonly string[] SecretFragments = ["password", "passwd", "passphrase", "secret", "credential", "apikey", "privatekey", "accesskey"];

    // Word pairs that name a secret only together ("api.key", "aws.secret.access.key", "KAFKA_S3_ACCESS_KEY").
    private static readonly string[] SecretPairFirsts = ["api", "access", "secret", "private", "signing", "encryption", "master"];

    /// <summary>Determines whether a configuration key names a secret.</summary>
    /// <param name="key">The key, in any of the usual spellings (<c>connection.password</c>, <c>SSL_KEY_PASSWORD</c>, <c>clientSecret</c>, <c>Pwd</c>).</param>
    /// <returns>
    /// <see langword="true"/> when a word of the key is a secret word (<c>password</c>, <c>pwd</c>, <c>secret</c>, <c>token</c>,
    /// <c>credential</c>, <c>jaas</c>, <c>auth</c>, <c>passphrase</c>, …), contains a long one, is a pair such as <c>api key</c>,
    /// <c>access key</c>, <c>private key</c>, or when a key of two or more words ends in <c>key</c>; <c>key.converter</c>,
    /// <c>key.ignore</c> and <c>connection.url</c> are not secrets.
    /// </returns>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var words = Words(key);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (SecretWords.Contains(word))
            {
                return true;
            }

            foreach (var fragment in SecretFragments)
            {
                if (word.Length > fragment.Length && word.Contains(fragment, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            if (word == "key" && i > 0 && Array.IndexOf(SecretPairFirsts, words[i - 1]) >= 0)
            {
                return true;
            }
        }

        return words.Count > 1 && words[^1] == "key";
    }

    /// <summary>Copies a configuration with the values of secret keys replaced and secrets inside the other values hidden.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>A new map with the same keys in ordinal order, safe to report.</returns>
    public static IReadOnlyDictionary<string, string> RedactConfig(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config)
        {
            result[key] = IsSecretKey(key) ? Redacted : RedactText(value);
        }

        return result;
    }

    /// <summary>Hides the values of secret keys in an ADO.NET connection string (<c>Password</c>, <c>Pwd</c>, …), whatever characters they hold.</summary>
    /// <param name="connectionString">The connection string, for example <c>Host=db;Username=app;Password=…</c>.</param>
    /// <returns>
    /// The connection string with each secret value replaced and every other character kept; a string that does not follow the
    /// connection-string grammar (an unterminated quote) is redacted as free text.
    /// </returns>
    public static string RedactConnectionString(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var text = new StringBuilder(connectionString.Length);
        var i = 0;
        while (i < connectionString.Length)
        {
            // The key runs to the first '=' that is not doubled ("==" is a literal '=' inside a key).
            var keyStart = i;
            while (i < connectionString.Length && (connectionString[i] != '=' || (i + 1 < connectionString.Length && connectionString[i + 1] == '=')))
            {
                i += connectionString[i] == '=' ? 2 : 1;
            }

            if (i >= connectionString.Length)
            {
                text.Append(connectionString, keyStart, i - keyStart);
                break;
            }

            var key = connectionString[keyStart..i].Replace("==", "=", StringComparison.Ordinal).Trim(' ', '\t', ';');
            text.Append(connectionString, keyStart, i + 1 - keyStart);
            i++;
            var valueStart = i;
            while (i < connectionString.Length && connectionString[i] == ' ')
            {
                i++;
            }

            if (i < connectionString.Length && connectionString[i] is '"' or '\'')
            {
                var quote = connectionString[i++];
                while (i < connectionString.Length && (connectionString[i] != quote || (i + 1 < connectionString.Length && connectionString[i + 1] == quote)))
                {
                    i += connectionString[i] == quote ? 2 : 1;
                }

                if (i >= connectionString.Length)
                {
                    return RedactText(connectionString);
                }

                i++;
            }

            while (i < connectionString.Length && connectionString[i] != ';')
            {
                i++;
            }

            var value = connectionString[valueStart..i];
            text.Append(IsSecretKey(key) && value.Trim().Length > 0 ? Redacted : RedactText(value));
        }

        return text.ToString();
    }

    /// <summary>Hides secrets in free text (a message, a log line, a URL, a serialized document) by their shape.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with every secret replaced by <see cref="Redacted"/> and every other character as it was.</returns>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        text = PrivateKeyBlock().Replace(text, Redacted);
        text = JsonMember().Replace(text, m => IsSecretKey(JsonUnescapeName(m.Groups["key"].Value)) ? m.Groups["head"].Value + "\"" + Redacted + "\"" : m.Value);
        text = KeyValuePair().Replace(text, RedactPair);
        text = UrlUserInfo().Replace(text, m => m.Groups["head"].Value + ":" + Redacted + "@");
        return Header().Replace(text, m => IsSecretHeader(m.Groups["name"].Value) ? m.Groups["head"].Value + Redacted : m.Value);
    }

    private static string RedactPair(Match match)
    {
        var value = match.Groups["value"].Value;
        if (value.Length == 0 || value == Redacted || !IsSecretKey(match.Groups["key"].Value))
        {
            return match.Value;
        }

        var head = match.Value[..(match.Value.Length - value.Length)];
        if (value.StartsWith("\\\"", StringComparison.Ordinal))
        {
            return head + "\\\"" + Redacted + "\\\"";
        }

        return value[0] is '"' or '\'' ? head + value[0] + Redacted + value[0] : head + Redacted;
    }

    private static bool IsSecretHeader(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || (name.Contains('-', StringComparison.Ordinal) && IsSecretKey(name));

    private static string JsonUnescapeName(string name) => name.Contains('\\', StringComparison.Ordinal) ? Regex.Unescape(name) : name;

    /// <summary>Splits a key into lower-case words at separators and at lower-to-upper case changes.</summary>
    private static List<string> Words(string key)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (char.IsUpper(c) && current.Length > 0 && i > 0 && char.IsLower(key[i - 1]))
            {
                Flush();
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    // key=value, key = "value", key='value'; the key may not continue a longer word on its left.
    [GeneratedRegex("""(?<![A-Za-z0-9._\-])(?<key>[A-Za-z][A-Za-z0-9._\-]*)[ \t]*=[ \t]*(?!\[redacted\])(?<value>"(?:[^"\\]|\\.)*"|\\"(?:(?!\\").)*\\"|'(?:[^']|'')*'|[^\s;&,)\]}"']*)""", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValuePair();

    // "key": "value" in JSON, with escapes in both strings.
    [GeneratedRegex(@"(?<head>""(?<key>(?:[^""\\]|\\.)*)""\s*:\s*)""(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonMember();

    // scheme://user:password@ — the password runs to the last @ before the path, so an unescaped @ inside it is hidden too.
    [GeneratedRegex(@"(?<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*):[^/\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    // Authorization: Basic xyz, X-Api-Key: xyz — the scheme word stays, the credentials go. Only hyphenated names (HTTP
    // header style) are candidates, so "http://…" or "Error: …" never swallow a header that follows them.
    [GeneratedRegex(@"(?<head>(?<![A-Za-z0-9\-])(?<name>(?:Proxy-)?Authorization|[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)[ \t]*:[ \t]*(?:(?:Basic|Bearer|Digest|Negotiate|NTLM|Token|ApiKey)[ \t]+)?)(?<value>[^\s,;|""']+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Header();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyBlock();
}
