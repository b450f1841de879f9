using System.Globalization;
using Npgsql;

namespace SinkIdempotency.Environments;

/// <summary>Configures an <see cref="ExternalEnvironment"/>: the team's own Kafka, Kafka Connect and PostgreSQL; build it with <see cref="ExternalEnvironmentBuilder"/>.</summary>
/// <remarks>
/// Every setting can come from an environment variable (see the <c>…Variable</c> constants and
/// <see cref="FromEnvironmentVariables(IReadOnlyDictionary{string, string})"/>); a setting given in code wins over the variable.
/// </remarks>
public sealed record ExternalEnvironmentOptions : SinkEnvironmentOptions
{
    /// <summary>Names the variable holding the bootstrap servers (<c>host:port[,host:port…]</c>).</summary>
    public const string BootstrapServersVariable = "SINKIDEMPOTENCY_BOOTSTRAP_SERVERS";

    /// <summary>Prefixes variables holding Kafka client settings: <c>SINKIDEMPOTENCY_KAFKA_SASL_PASSWORD</c> sets <c>sasl.password</c> (lowercased, <c>_</c> becomes <c>.</c>, <c>__</c> a literal <c>_</c>).</summary>
    public const string KafkaSettingVariablePrefix = "SINKIDEMPOTENCY_KAFKA_";

    /// <summary>Names the variable holding the Connect REST URLs, separated by commas.</summary>
    public const string ConnectUrlsVariable = "SINKIDEMPOTENCY_CONNECT_URLS";

    /// <summary>Names the variable holding the user name for HTTP basic authentication against the Connect REST API.</summary>
    public const string ConnectUserVariable = "SINKIDEMPOTENCY_CONNECT_USER";

    /// <summary>Names the variable holding the password for HTTP basic authentication against the Connect REST API.</summary>
    public const string ConnectPasswordVariable = "SINKIDEMPOTENCY_CONNECT_PASSWORD";

    /// <summary>Names the variable holding the Npgsql connection string the harness uses to read the target.</summary>
    public const string TargetVariable = "SINKIDEMPOTENCY_TARGET";

    /// <summary>Names the variable holding the Npgsql connection string the connectors use, when it differs from the harness's (another host name inside the cluster, another user).</summary>
    public const string ConnectorTargetVariable = "SINKIDEMPOTENCY_CONNECTOR_TARGET";

    /// <summary>Names the variable holding the <c>host:port</c> at which the connectors reach the fault proxy the harness runs.</summary>
    public const string TargetProxyAddressVariable = "SINKIDEMPOTENCY_TARGET_PROXY_ADDRESS";

    /// <summary>Names the variable holding the local port the fault proxy listens on (127.0.0.1).</summary>
    public const string TargetProxyListenPortVariable = "SINKIDEMPOTENCY_TARGET_PROXY_LISTEN_PORT";

    /// <summary>Gets the Kafka bootstrap servers, <c>host:port[,host:port…]</c>.</summary>
    /// <value>The default is <see langword="null"/>, which is invalid: set it or <see cref="BootstrapServersVariable"/>.</value>
    public string? BootstrapServers { get; init; }

    /// <summary>Gets librdkafka settings added to every Kafka client the harness creates (<c>security.protocol</c>, <c>sasl.mechanism</c>, <c>sasl.username</c>, <c>sasl.password</c>, <c>ssl.ca.location</c>…).</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> KafkaSettings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the REST URLs of the Connect workers; any one of them serves every request.</summary>
    /// <value>The default is empty, which is invalid: set at least one or <see cref="ConnectUrlsVariable"/>.</value>
    public IReadOnlyList<Uri> ConnectUrls { get; init; } = [];

    /// <summary>Gets the user name sent to the Connect REST API with HTTP basic authentication, or <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectUser { get; init; }

    /// <summary>Gets the password sent to the Connect REST API with HTTP basic authentication.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectPassword { get; init; }

    /// <summary>Gets the Npgsql connection string the harness uses to read the target tables (never through the proxy).</summary>
    /// <value>The default is <see langword="null"/>, which is invalid: set it or <see cref="TargetVariable"/>.</value>
    public string? TargetConnectionString { get; init; }

    /// <summary>Gets the Npgsql connection string whose host, port, database, user and password the connectors use, or <see langword="null"/> to use <see cref="TargetConnectionString"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectorTargetConnectionString { get; init; }

    /// <summary>Gets the <c>host:port</c> at which the connectors reach the fault proxy the harness runs, or <see langword="null"/> for no proxy (target faults are then skipped).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>The proxy listens on 127.0.0.1; the address is whatever the team routes to it (a tunnel, a port forward).</remarks>
    public string? TargetProxyAddress { get; init; }

    /// <summary>Gets the 127.0.0.1 port the fault proxy listens on, or <see langword="null"/> for the port of <see cref="TargetProxyAddress"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? TargetProxyListenPort { get; init; }

    /// <summary>Gets whether the Connect cluster serves the KIP-875 offsets API, or <see langword="null"/> to decide from the version it reports (3.6 and later).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public bool? OffsetsApi { get; init; }

    /// <summary>Gets how long each reachability check at start may take (Kafka, every Connect URL, the target).</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan ReachabilityTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reads the options from the process's environment variables.</summary>
    /// <returns>The options the variables set; unset ones keep their defaults.</returns>
    public static ExternalEnvironmentOptions FromEnvironmentVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return FromEnvironmentVariables(variables);
    }

    /// <summary>Reads the options from a set of environment variables.</summary>
    /// <param name="variables">The variables, by name.</param>
    /// <returns>The options the variables set; unset ones keep their defaults.</returns>
    /// <exception cref="ArgumentException">A variable's value cannot be parsed (a Connect URL, a port).</exception>
    public static ExternalEnvironmentOptions FromEnvironmentVariables(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string? Get(string name) => variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith(KafkaSettingVariablePrefix, StringComparison.Ordinal) && name.Length > KafkaSettingVariablePrefix.Length)
            {
                settings[KafkaSettingName(name[KafkaSettingVariablePrefix.Length..])] = value;
            }
        }

        int? listenPort = null;
        if (Get(TargetProxyListenPortVariable) is { } port)
        {
            listenPort = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ArgumentException($"{TargetProxyListenPortVariable}='{port}' is not a port number; set it to a number between 1 and 65535.");
        }

        return new ExternalEnvironmentOptions
        {
            BootstrapServers = Get(BootstrapServersVariable),
            KafkaSettings = settings,
            ConnectUrls = Get(ConnectUrlsVariable) is { } urls ? ParseUrls(urls, ConnectUrlsVariable) : [],
            ConnectUser = Get(ConnectUserVariable),
            ConnectPassword = variables.TryGetValue(ConnectPasswordVariable, out var password) && password.Length > 0 ? password : null,
            TargetConnectionString = Get(TargetVariable),
            ConnectorTargetConnectionString = Get(ConnectorTargetVariable),
            TargetProxyAddress = Get(TargetProxyAddressVariable),
            TargetProxyListenPort = listenPort,
        };
    }

    /// <summary>Turns the part of a variable name after <see cref="KafkaSettingVariablePrefix"/> into a librdkafka setting name.</summary>
    /// <param name="suffix">For example <c>SASL_MECHANISM</c>.</param>
    /// <returns>For example <c>sasl.mechanism</c>.</returns>
    public static string KafkaSettingName(string suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        return suffix.ToLowerInvariant().Replace("__", "\u0001", StringComparison.Ordinal).Replace('_', '.').Replace('\u0001', '_');
    }

    /// <summary>Parses comma-separated Connect REST URLs.</summary>
    /// <param name="text">The URLs, e.g. <c>https://connect-1:8083,https://connect-2:8083</c>.</param>
    /// <param name="source">Where the text came from, for the error message.</param>
    /// <returns>The URLs.</returns>
    /// <exception cref="ArgumentException">A URL is not an absolute http or https URL.</exception>
    public static IReadOnlyList<Uri> ParseUrls(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var urls = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{source}: '{Connect.SecretRedactor.RedactText(part)}' is not a Connect REST URL; use an absolute http or https URL such as http://connect:8083.");
            }

            urls.Add(url);
        }

        return urls;
    }

    /// <summary>Lists what is missing or malformed, each with what to set.</summary>
    /// <returns>The problems; empty when the options are usable.</returns>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            problems.Add($"No Kafka bootstrap servers: set {BootstrapServersVariable} (or --bootstrap-servers), e.g. broker-1:9092,broker-2:9092.");
        }
        else if (BootstrapServers.Split(',', StringSplitOptions.TrimEntries).Any(s => !IsHostPort(s)))
        {
            problems.Add($"The bootstrap servers '{BootstrapServers}' are not a comma-separated list of host:port.");
        }

        foreach (var (key, _) in KafkaSettings)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                problems.Add("A Kafka client setting has an empty name.");
            }
            else if (key is "bootstrap.servers" or "client.id" or "group.id")
            {
                problems.Add($"The Kafka client setting '{key}' cannot be passed through: the harness sets it itself (bootstrap servers come from {BootstrapServersVariable}).");
            }
        }

        if (ConnectUrls.Count == 0)
        {
            problems.Add($"No Kafka Connect REST URL: set {ConnectUrlsVariable} (or --connect-url), e.g. https://connect:8083.");
        }

        foreach (var url in ConnectUrls)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"The Connect REST URL '{Connect.SecretRedactor.RedactText(url.OriginalString)}' must be an absolute http or https URL.");
            }
        }

        if (ConnectPassword is not null && string.IsNullOrEmpty(ConnectUser))
        {
            problems.Add($"A Connect password is set without a user: set {ConnectUserVariable} (or --connect-user) too.");
        }

        if (string.IsNullOrWhiteSpace(TargetConnectionString))
        {
            problems.Add($"No target connection string: set {TargetVariable} (or --target) to an Npgsql connection string such as Host=pg;Port=5432;Database=sinks;Username=harness;Password=….");
        }
        else
        {
            CheckConnectionString(TargetConnectionString, TargetVariable, problems);
        }

        if (ConnectorTargetConnectionString is not null)
        {
            CheckConnectionString(ConnectorTargetConnectionString, ConnectorTargetVariable, problems);
        }

        if (TargetProxyAddress is not null && !IsHostPort(TargetProxyAddress))
        {
            problems.Add($"The target proxy address '{TargetProxyAddress}' is not host:port; set {TargetProxyAddressVariable} to where the connectors reach the proxy, e.g. harness-host:15432.");
        }

        if (TargetProxyListenPort is { } listen && listen is < 0 or > 65535)
        {
            problems.Add($"The target proxy listen port {listen} must be between 0 (any free port) and 65535.");
        }

        if (TargetProxyListenPort is not null && TargetProxyAddress is null)
        {
            problems.Add($"A target proxy listen port is set without an address: set {TargetProxyAddressVariable} to where the connectors reach the proxy.");
        }

        if (ReachabilityTimeout <= TimeSpan.Zero)
        {
            problems.Add("The reachability timeout must be positive.");
        }

        if (TimeProvider is null)
        {
            problems.Add("The time provider is missing.");
        }

        return problems;
    }

    /// <summary>Throws when the options are not usable, listing every problem.</summary>
    /// <exception cref="ArgumentException">A setting is missing or malformed; the message says what to set.</exception>
    public override void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The external environment is not configured: " + string.Join(" ", problems));
        }
    }

    internal static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0
            && colon < text.Length - 1
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= 65535
            && !text[..colon].Any(char.IsWhiteSpace);
    }

    internal static (string Host, int Port) SplitHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return (text[..colon].Trim('[', ']'), int.Parse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static void CheckConnectionString(string value, string variable, List<string> problems)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(value);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                problems.Add($"The connection string in {variable} names no Host.");
            }
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the text, password included.
            problems.Add($"The connection string in {variable} is not an Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…).");
        }
    }
}
