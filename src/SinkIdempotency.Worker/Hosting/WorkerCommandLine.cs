using System.Globalization;

namespace SinkIdempotency.Worker.Hosting;

/// <summary>
/// Parses the worker's command line. Exit codes: 0 stopped normally, 1 failed at run time, 2 bad command line.
/// </summary>
internal static class WorkerCommandLine
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    /// <summary>Names the environment variable with client properties (one KEY=VALUE a line) for every Kafka client, before --client-property.</summary>
    /// <remarks>For secrets such as <c>sasl.password</c>: a process's environment is readable only by its owner, its command line by everyone.</remarks>
    public const string ClientPropertiesVariable = "SINKIDEMPOTENCY_WORKER_CLIENT_PROPERTIES";

    public const string Usage = """
        Usage: SinkIdempotency.Worker --bootstrap-servers HOST:PORT --group-id CLUSTER [options]

          --bootstrap-servers HOST:PORT   Kafka bootstrap servers (required)
          --group-id NAME                 cluster id; workers with the same id form one cluster (required)
          --rest-port PORT                REST port, 0 = a free port (default 8083)
          --rest-host HOST                REST listen address (default 127.0.0.1)
          --worker-id ID                  worker id in statuses (default HOST:PORT of the REST listener)
          --offset-flush-interval-ms MS   offset commit interval (default 60000)
          --offset-flush-timeout-ms MS    async commit timeout (default 5000)
          --task-shutdown-graceful-timeout-ms MS   time a stopping task gets before it is cancelled (default 5000)
          --cluster-session-timeout-ms MS worker membership session timeout (default 10000)
          --cluster-heartbeat-interval-ms MS  worker membership heartbeat (default a third of the session timeout)
          --cluster-slots N               task slots in the assignment topic (default 64)
          --client-property K=V           property for every Kafka client (repeatable)
          --consumer-property K=V         property for sink task consumers (repeatable)
          --worker-property K=V           connector default, e.g. value.converter=... (repeatable)
          --plugin-path PATH              folder or assembly with .NET sink plugins (repeatable)
          --detached                      keep running when standard input closes
          --standby                       start, then wait for a 'join' line on standard input before joining the cluster

        SINKIDEMPOTENCY_WORKER_CLIENT_PROPERTIES, when set, holds more client properties, one K=V a line
        (for secrets such as sasl.password); --client-property overrides them.
        The first line of standard output is the REST base URL. Logs go to standard error.
        Exit codes: 0 stopped, 1 failed, 2 bad command line.
        """;

    /// <summary>Parses arguments; returns null and an error message when they are invalid.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="clientProperties">The value of <see cref="ClientPropertiesVariable"/>, or <see langword="null"/>.</param>
    public static (WorkerOptions? Options, string? Error) Parse(IReadOnlyList<string> args, string? clientProperties = null)
    {
        string? bootstrap = null;
        string? group = null;
        var restPort = 8083;
        var restHost = "127.0.0.1";
        string? workerId = null;
        long flushInterval = 60_000;
        long flushTimeout = 5_000;
        long gracefulTimeout = 5_000;
        var sessionTimeout = 10_000;
        int? heartbeatInterval = null;
        var slots = 64;
        var client = new Dictionary<string, string>();
        foreach (var line in (clientProperties ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // Only the key is echoed: the value may be a password.
                return (null, $"{ClientPropertiesVariable} needs one KEY=VALUE a line; got '{(equals < 0 ? "(no '=')" : line[..equals])}'.");
            }

            client[line[..equals].Trim()] = line[(equals + 1)..];
        }

        var consumer = new Dictionary<string, string>();
        var worker = new Dictionary<string, string>();
        var plugins = new List<string>();
        var detached = false;
        var standby = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Next()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{arg} needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (arg)
                {
                    case "--bootstrap-servers": bootstrap = Next(); break;
                    case "--group-id": group = Next(); break;
                    case "--rest-port": restPort = ParseInt(arg, Next(), 0, 65535); break;
                    case "--rest-host": restHost = Next(); break;
                    case "--worker-id": workerId = Next(); break;
                    case "--offset-flush-interval-ms": flushInterval = ParseInt(arg, Next(), 1, int.MaxValue); break;
                    case "--offset-flush-timeout-ms": flushTimeout = ParseInt(arg, Next(), 1, int.MaxValue); break;
                    case "--task-shutdown-graceful-timeout-ms": gracefulTimeout = ParseInt(arg, Next(), 0, int.MaxValue); break;
                    case "--cluster-session-timeout-ms": sessionTimeout = ParseInt(arg, Next(), 1, int.MaxValue); break;
                    case "--cluster-heartbeat-interval-ms": heartbeatInterval = ParseInt(arg, Next(), 1, int.MaxValue); break;
                    case "--cluster-slots": slots = ParseInt(arg, Next(), 1, 10_000); break;
                    case "--client-property": AddProperty(client, arg, Next()); break;
                    case "--consumer-property": AddProperty(consumer, arg, Next()); break;
                    case "--worker-property": AddProperty(worker, arg, Next()); break;
                    case "--plugin-path": plugins.Add(Next()); break;
                    case "--detached": detached = true; break;
                    case "--standby": standby = true; break;
                    default: return (null, $"Unknown option '{args[i]}'.");
                }
            }
            catch (FormatException e)
            {
                return (null, e.Message);
            }
        }

        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            return (null, "--bootstrap-servers is required (e.g. --bootstrap-servers 127.0.0.1:9092).");
        }

        if (string.IsNullOrWhiteSpace(group))
        {
            return (null, "--group-id is required (workers with the same group id form one cluster).");
        }

        if (heartbeatInterval >= sessionTimeout)
        {
            return (null, $"--cluster-heartbeat-interval-ms ({heartbeatInterval}) must be shorter than --cluster-session-timeout-ms ({sessionTimeout}).");
        }

        if (standby && detached)
        {
            return (null, "--standby waits for a 'join' line on standard input, which --detached ignores; use one of them.");
        }

        return (new WorkerOptions
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            RestPort = restPort,
            RestHost = restHost,
            WorkerId = workerId,
            OffsetFlushIntervalMs = flushInterval,
            OffsetFlushTimeoutMs = flushTimeout,
            TaskShutdownGracefulTimeoutMs = gracefulTimeout,
            ClusterSessionTimeoutMs = sessionTimeout,
            ClusterHeartbeatIntervalMs = heartbeatInterval,
            ClusterSlots = slots,
            ClientProperties = client,
            ConsumerProperties = consumer,
            WorkerProperties = worker,
            PluginPaths = plugins,
            Detached = detached,
            Standby = standby,
        }, null);
    }

    private static int ParseInt(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"{option} must be an integer between {min} and {max}, got '{value}'.");

    private static void AddProperty(Dictionary<string, string> target, string option, string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new FormatException($"{option} expects KEY=VALUE, got '{value}'.");
        }

        target[value[..eq].Trim()] = value[(eq + 1)..];
    }
}
