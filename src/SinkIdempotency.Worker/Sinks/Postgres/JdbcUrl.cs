using Npgsql;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Turns a JDBC URL (<c>jdbc:postgresql://host:port/db?user=…</c>), a <c>postgresql://</c> URI or an Npgsql connection string into an Npgsql connection string.</summary>
internal static class JdbcUrl
{
    public static string ToConnectionString(string url, string? user, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var text = url.Trim();
        if (text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        if (text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
            var query = "";
            var q = rest.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = rest[(q + 1)..];
                rest = rest[..q];
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var hostPart = slash >= 0 ? rest[..slash] : rest;
            var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
            var at = hostPart.LastIndexOf('@');
            if (at >= 0)
            {
                var credentials = hostPart[..at].Split(':', 2);
                builder.Username = Uri.UnescapeDataString(credentials[0]);
                if (credentials.Length > 1)
                {
                    builder.Password = Uri.UnescapeDataString(credentials[1]);
                }

                hostPart = hostPart[(at + 1)..];
            }

            var colon = hostPart.LastIndexOf(':');
            if (colon > 0 && !hostPart.EndsWith(']'))
            {
                builder.Host = hostPart[..colon];
                builder.Port = int.Parse(hostPart[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                builder.Host = hostPart.Length == 0 ? "localhost" : hostPart;
            }

            if (database.Length > 0)
            {
                builder.Database = database;
            }

            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                var key = Uri.UnescapeDataString(kv[0]);
                var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
                switch (key.ToLowerInvariant())
                {
                    case "user":
                        builder.Username = value;
                        break;
                    case "password":
                        builder.Password = value;
                        break;
                    case "sslmode":
                        builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                        break;
                    case "currentschema":
                        builder.SearchPath = value;
                        break;
                    case "applicationname":
                        builder.ApplicationName = value;
                        break;
                    case "sockettimeout":
                        // pgjdbc: seconds a read may block before the connection is closed (0 = forever). Npgsql's
                        // command timeout, with no wait for a cancel request's answer: the connection is dropped at once.
                        builder.CommandTimeout = Seconds(key, value);
                        builder.CancellationTimeout = -1;
                        break;
                    case "connecttimeout":
                        builder.Timeout = Seconds(key, value);
                        break;
                    default:
                        break;
                }
            }
        }
        else
        {
            builder.ConnectionString = text;
        }

        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        return builder.ConnectionString;
    }

    private static int Seconds(string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new FormatException($"The JDBC URL parameter {key} must be a whole number of seconds, not '{value}'.");
}
