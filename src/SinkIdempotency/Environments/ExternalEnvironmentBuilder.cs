namespace SinkIdempotency.Environments;

/// <summary>Builds an <see cref="ExternalEnvironment"/> immutably: every <c>With…</c> returns a new builder.</summary>
/// <example><code>await using var env = await new ExternalEnvironmentBuilder().WithEnvironmentVariables().StartAsync();</code></example>
public sealed class ExternalEnvironmentBuilder : SinkEnvironmentBuilder<ExternalEnvironmentBuilder, ExternalEnvironment, ExternalEnvironmentOptions>
{
    /// <summary>Initializes a new instance of the <see cref="ExternalEnvironmentBuilder"/> class with no setting (every required one must be given).</summary>
    public ExternalEnvironmentBuilder()
        : this(new ExternalEnvironmentOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ExternalEnvironmentBuilder"/> class with the given options.</summary>
    /// <param name="options">The options to start from.</param>
    public ExternalEnvironmentBuilder(ExternalEnvironmentOptions options)
        : base(options)
    {
    }

    /// <summary>Fills every setting not given yet from the process's environment variables (see <see cref="ExternalEnvironmentOptions.FromEnvironmentVariables()"/>).</summary>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithEnvironmentVariables() => Merge(ExternalEnvironmentOptions.FromEnvironmentVariables());

    /// <summary>Fills every setting not given yet from the given environment variables.</summary>
    /// <param name="variables">The variables, by name.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithEnvironmentVariables(IReadOnlyDictionary<string, string> variables) => Merge(ExternalEnvironmentOptions.FromEnvironmentVariables(variables));

    /// <summary>Sets the Kafka bootstrap servers.</summary>
    /// <param name="bootstrapServers">The servers, <c>host:port[,host:port…]</c>.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithBootstrapServers(string bootstrapServers) => new(Options with { BootstrapServers = bootstrapServers });

    /// <summary>Adds a librdkafka setting for every Kafka client the harness creates, e.g. <c>security.protocol</c>=<c>SASL_SSL</c>.</summary>
    /// <param name="key">The setting name.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithKafkaSetting(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return new(Options with { KafkaSettings = new Dictionary<string, string>(Options.KafkaSettings, StringComparer.Ordinal) { [key] = value } });
    }

    /// <summary>Adds the REST URL of a Connect worker.</summary>
    /// <param name="url">The URL, e.g. <c>https://connect:8083</c>.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithConnectUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new(Options with { ConnectUrls = [.. Options.ConnectUrls, url] });
    }

    /// <summary>Sets the HTTP basic authentication sent to the Connect REST API.</summary>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithConnectBasicAuthentication(string user, string password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(password);
        return new(Options with { ConnectUser = user, ConnectPassword = password });
    }

    /// <summary>Sets the Npgsql connection string the harness uses to read the target.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithTarget(string connectionString) => new(Options with { TargetConnectionString = connectionString });

    /// <summary>Sets the Npgsql connection string whose host, port, database and credentials the connectors use, when they differ from the harness's.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithConnectorTarget(string connectionString) => new(Options with { ConnectorTargetConnectionString = connectionString });

    /// <summary>Runs the fault proxy on this machine and tells the connectors to reach the target through it.</summary>
    /// <param name="address">The <c>host:port</c> at which the connectors reach the proxy.</param>
    /// <param name="listenPort">The 127.0.0.1 port the proxy listens on, or <see langword="null"/> for the port of <paramref name="address"/>.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithTargetProxy(string address, int? listenPort = null) => new(Options with { TargetProxyAddress = address, TargetProxyListenPort = listenPort });

    /// <summary>Declares whether the Connect cluster serves the KIP-875 offsets API, instead of deciding from its version.</summary>
    /// <param name="available">Whether the API is there.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithOffsetsApi(bool available) => new(Options with { OffsetsApi = available });

    /// <summary>Sets how long each reachability check at start may take.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>A new builder.</returns>
    public ExternalEnvironmentBuilder WithReachabilityTimeout(TimeSpan timeout) => new(Options with { ReachabilityTimeout = timeout });

    /// <inheritdoc/>
    protected override ExternalEnvironmentBuilder Clone(ExternalEnvironmentOptions options) => new(options);

    /// <inheritdoc/>
    protected override ExternalEnvironment Create(ExternalEnvironmentOptions options) => new(options);

    /// <inheritdoc/>
    protected override ExternalEnvironmentOptions Prepare(ExternalEnvironmentOptions options) => MoveUrlCredentials(options);

    // Credentials inside a URL (https://user:password@connect:8083) become basic authentication, so no URL the harness prints carries them.
    private static ExternalEnvironmentOptions MoveUrlCredentials(ExternalEnvironmentOptions options)
    {
        var user = options.ConnectUser;
        var password = options.ConnectPassword;
        var urls = new List<Uri>();
        foreach (var url in options.ConnectUrls)
        {
            if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.UserInfo))
            {
                urls.Add(url);
                continue;
            }

            var parts = url.UserInfo.Split(':', 2);
            user ??= Uri.UnescapeDataString(parts[0]);
            password ??= parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
            urls.Add(new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri);
        }

        return options with { ConnectUrls = urls, ConnectUser = user, ConnectPassword = password };
    }

    private ExternalEnvironmentBuilder Merge(ExternalEnvironmentOptions fromVariables)
    {
        var current = Options;
        var settings = new Dictionary<string, string>(fromVariables.KafkaSettings, StringComparer.Ordinal);
        foreach (var (key, value) in current.KafkaSettings)
        {
            settings[key] = value;
        }

        return new(current with
        {
            BootstrapServers = current.BootstrapServers ?? fromVariables.BootstrapServers,
            KafkaSettings = settings,
            ConnectUrls = current.ConnectUrls.Count > 0 ? current.ConnectUrls : fromVariables.ConnectUrls,
            ConnectUser = current.ConnectUser ?? fromVariables.ConnectUser,
            ConnectPassword = current.ConnectPassword ?? fromVariables.ConnectPassword,
            TargetConnectionString = current.TargetConnectionString ?? fromVariables.TargetConnectionString,
            ConnectorTargetConnectionString = current.ConnectorTargetConnectionString ?? fromVariables.ConnectorTargetConnectionString,
            TargetProxyAddress = current.TargetProxyAddress ?? fromVariables.TargetProxyAddress,
            TargetProxyListenPort = current.TargetProxyListenPort ?? fromVariables.TargetProxyListenPort,
        });
    }
}
