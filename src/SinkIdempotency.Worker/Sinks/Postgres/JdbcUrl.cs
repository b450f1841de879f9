using Npgsql;
using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Sinks.Postgres;

/// <summary>Turns a JDBC URL (<c>jdbc:postgresql://host:port/db?user=…</c>), a <c>postgresql://</c> URI or an Npgsql connection string into an Npgsql connection string.</summary>
internal static class JdbcUrl
{
    public static string ToConnectionString(string url, string? user, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var text = url.Trim();
        var scheme = text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
        if (scheme.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            // The URL's parts are read by the sink contract's public helper, so teams' sinks read it the same way.
            var parsed = TargetUrl.Parse(text);
            builder.Host = parsed.Host;
            if (parsed.Port is { } port)
            {
                builder.Port = port;
            }

            if (parsed.Database.Length > 0)
            {
                builder.Database = parsed.Database;
            }

            builder.Username = parsed.User ?? builder.Username;
            builder.Password = parsed.Password ?? builder.Password;
            foreach (var (key, value) in parsed.Parameters)
            {
                switch (key.ToLowerInvariant())
                {
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
                        builder.CommandTimeout = (int)(parsed.SocketTimeout?.TotalSeconds ?? 0);
                        builder.CancellationTimeout = -1;
                        break;
                    case "connecttimeout":
                        builder.Timeout = (int)(parsed.ConnectTimeout?.TotalSeconds ?? 0);
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
}
