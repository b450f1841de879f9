using System.Globalization;

namespace SinkIdempotency.Sink;

/// <summary>Reads a sink's target URL as the harness writes it into <c>connection.url</c>: <c>jdbc:postgresql://host:port/database?socketTimeout=3</c> (also without <c>jdbc:</c>, with <c>user:password@</c>).</summary>
/// <remarks>
/// The harness routes the target through its fault proxy by rewriting host and port, and bounds how long a sink may wait
/// for a reply with <c>socketTimeout</c> (seconds, as pgjdbc): a sink that honours it gives up on a withheld reply and
/// retries, which is what the target-timeout failure case exercises. <c>connectTimeout</c> bounds opening a connection.
/// </remarks>
/// <param name="Scheme">The scheme without <c>jdbc:</c>, e.g. <c>postgresql</c>.</param>
/// <param name="Host">The host.</param>
/// <param name="Port">The port, or <see langword="null"/> when the URL names none.</param>
/// <param name="Database">The database (the path), or an empty string.</param>
/// <param name="User">The user from the user info or the <c>user</c> parameter, or <see langword="null"/>.</param>
/// <param name="Password">The password from the user info or the <c>password</c> parameter, or <see langword="null"/>.</param>
/// <param name="Parameters">Every query parameter, unescaped, by name (case-insensitive).</param>
public sealed record TargetUrl(string Scheme, string Host, int? Port, string Database, string? User, string? Password, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Gets how long a read may wait for the target's reply before the sink gives up (<c>socketTimeout</c>), or <see langword="null"/> when unset or 0 (wait forever).</summary>
    /// <exception cref="FormatException">The parameter is not a whole number of seconds.</exception>
    public TimeSpan? SocketTimeout => Seconds("socketTimeout");

    /// <summary>Gets how long opening a connection may take (<c>connectTimeout</c>), or <see langword="null"/> when unset or 0.</summary>
    /// <exception cref="FormatException">The parameter is not a whole number of seconds.</exception>
    public TimeSpan? ConnectTimeout => Seconds("connectTimeout");

    /// <summary>Parses a target URL.</summary>
    /// <param name="url">The URL, e.g. the connector's <c>connection.url</c>.</param>
    /// <returns>The parts of the URL.</returns>
    /// <exception cref="FormatException">The text is not a <c>scheme://host[:port][/database][?name=value&amp;…]</c> URL.</exception>
    public static TargetUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new FormatException("A target URL looks like jdbc:postgresql://host:port/database?socketTimeout=3; it has no scheme:// part.");
        }

        var scheme = text[..separator];
        var rest = text[(separator + 3)..];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                parameters[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            }

            rest = rest[..question];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : string.Empty;
        string? user = null;
        string? password = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at].Split(':', 2);
            user = Uri.UnescapeDataString(credentials[0]);
            password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null;
            authority = authority[(at + 1)..];
        }

        int? port = null;
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && !authority.EndsWith(']'))
        {
            port = int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65536
                ? number
                : throw new FormatException($"The port of a target URL must be a number from 1 to 65535, not '{authority[(colon + 1)..]}'.");
            authority = authority[..colon];
        }

        return new TargetUrl(
            scheme,
            authority.Length == 0 ? "localhost" : authority,
            port,
            database,
            parameters.GetValueOrDefault("user") ?? user,
            parameters.GetValueOrDefault("password") ?? password,
            parameters);
    }

    private TimeSpan? Seconds(string name) =>
        !Parameters.TryGetValue(name, out var value) ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? (seconds == 0 ? null : TimeSpan.FromSeconds(seconds))
        : throw new FormatException($"The target URL parameter {name} must be a whole number of seconds, not '{value}'.");
}
