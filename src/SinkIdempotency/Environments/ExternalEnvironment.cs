using System.Globalization;
using Npgsql;
using SinkIdempotency.Connect;
using SinkIdempotency.Kafka;
using SinkIdempotency.Lifecycle;
using SinkIdempotency.Proxy;

namespace SinkIdempotency.Environments;

/// <summary>Runs scenarios against a team's existing Kafka, Kafka Connect and PostgreSQL (a staging cluster); build it with <see cref="ExternalEnvironmentBuilder"/>.</summary>
/// <remarks>
/// Starting it creates nothing on the cluster: it checks that Kafka, every Connect URL and the target answer, within
/// <see cref="ExternalEnvironmentOptions.ReachabilityTimeout"/>. It cannot kill, add or restart workers, so scenarios that
/// need one are skipped with the reason; target faults are possible only when the team routes the connectors to the fault
/// proxy the harness runs (<see cref="ExternalEnvironmentOptions.TargetProxyAddress"/>). Scenario runs touch only the
/// topics, connectors and tables they create, whose names carry the run id.
/// </remarks>
public sealed partial class ExternalEnvironment : IStartableSinkEnvironment, IConnectorTargetSettings
{
    /// <summary>The environment name used in reports and skip reasons.</summary>
    public const string EnvironmentName = "external";

    private readonly ExternalEnvironmentOptions _options;
    private readonly LifecycleGate _lifecycle = new("The external environment is already started; build a new one to start again.");
    private TargetFaultProxy? _proxy;

    internal ExternalEnvironment(ExternalEnvironmentOptions options)
    {
        _options = options;
        Kafka = new KafkaEndpoint(options.BootstrapServers!, new Dictionary<string, string>(options.KafkaSettings, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public string Name => EnvironmentName;

    /// <summary>Gets the options the environment was built with.</summary>
    public ExternalEnvironmentOptions Options => _options;

    /// <inheritdoc/>
    /// <remarks>Only <see cref="EnvironmentCapabilities.TargetFaultProxy"/> (with a proxy address) and <see cref="EnvironmentCapabilities.OffsetsApi"/> (when the cluster serves it): an existing cluster's workers are not the harness's to kill, add or restart.</remarks>
    public EnvironmentCapabilities Capabilities =>
        (_options.TargetProxyAddress is null ? EnvironmentCapabilities.None : EnvironmentCapabilities.TargetFaultProxy)
        | (SupportsOffsetsApi ? EnvironmentCapabilities.OffsetsApi : EnvironmentCapabilities.None);

    /// <inheritdoc/>
    public KafkaEndpoint Kafka { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Uri> ConnectUrls => _options.ConnectUrls;

    /// <inheritdoc/>
    public TargetEndpoint Target
    {
        get
        {
            var (host, port) = SinkAddress(throughProxy: _options.TargetProxyAddress is not null);
            return new TargetEndpoint(_options.TargetConnectionString!, host, port);
        }
    }

    /// <inheritdoc/>
    public TargetFaultProxy? TargetProxy => _proxy;

    /// <summary>Gets the Kafka Connect version the first worker reported at start, or <see langword="null"/> before start.</summary>
    public string? ConnectVersion => ConnectServer?.Version;

    /// <summary>Gets what the first worker reported at start (<c>GET /</c>), or <see langword="null"/> before start.</summary>
    public ConnectServerInfo? ConnectServer { get; private set; }

    /// <summary>Gets the Kafka cluster id reported at start, or <see langword="null"/> before start.</summary>
    public string? KafkaClusterId { get; private set; }

    /// <summary>Gets a value indicating whether the Connect cluster serves the KIP-875 offsets API: as declared, otherwise from <see cref="ConnectVersion"/> (Apache Kafka 3.6+, Confluent Platform 7.6+).</summary>
    /// <value><see langword="false"/> before start unless declared.</value>
    public bool SupportsOffsetsApi => _options.OffsetsApi ?? ConnectServer?.SupportsOffsetsApi ?? false;

    /// <inheritdoc />
    public Task<bool> SupportsOffsetsApiAsync(CancellationToken cancellationToken = default) => Task.FromResult(SupportsOffsetsApi);

    /// <inheritdoc />
    /// <value><see langword="true"/>: the team's connector may reach the team's database under its own name (unless a fault needs the proxy).</value>
    public bool UsesScenarioTargetSettings => true;

    /// <summary>Creates the options for a REST client of this cluster's workers: the basic authentication, if any, and the clock.</summary>
    /// <returns>New options the caller may change.</returns>
    public ConnectRestClientOptions CreateConnectClientOptions() => new()
    {
        TimeProvider = _options.TimeProvider,
        BasicAuthentication = _options.ConnectUser is null ? null : new System.Net.NetworkCredential(_options.ConnectUser, _options.ConnectPassword ?? string.Empty),
    };

    /// <summary>Creates the connector settings that point a JDBC-style sink at the target: <c>connection.url</c>, <c>connection.user</c>, <c>connection.password</c>.</summary>
    /// <param name="throughProxy">Whether the connector must reach the target through the fault proxy.</param>
    /// <returns>The settings, from <see cref="ExternalEnvironmentOptions.ConnectorTargetConnectionString"/> (or the harness's connection string).</returns>
    /// <exception cref="MissingCapabilityException">A proxy was asked for and none is configured.</exception>
    public IReadOnlyDictionary<string, string> GetConnectorTargetSettings(bool throughProxy)
    {
        if (throughProxy && _options.TargetProxyAddress is null)
        {
            throw new MissingCapabilityException(Name, EnvironmentCapabilities.TargetFaultProxy);
        }

        var connector = new NpgsqlConnectionStringBuilder(_options.ConnectorTargetConnectionString ?? _options.TargetConnectionString);
        var (host, port) = SinkAddress(throughProxy);
        var query = new List<string>();
        if (connector.SslMode is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull)
        {
            query.Add("sslmode=" + connector.SslMode switch { SslMode.Require => "require", SslMode.VerifyCA => "verify-ca", _ => "verify-full" });
        }

        if (throughProxy)
        {
            // A withheld reply must time out in seconds, as in the embedded environment.
            query.Add(string.Create(CultureInfo.InvariantCulture, $"socketTimeout={Scenarios.SinkScenarioDriver.ProxyReplyTimeoutSeconds}"));
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connection.url"] = $"jdbc:postgresql://{host}:{port.ToString(CultureInfo.InvariantCulture)}/{connector.Database ?? "postgres"}" + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query)),
        };
        if (connector.Username is { } user)
        {
            settings["connection.user"] = user;
        }

        if (connector.Password is { } password)
        {
            settings["connection.password"] = password;
        }

        return settings;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        using var client = new ConnectRestClient(ConnectUrls[0], CreateConnectClientOptions());
        var known = ConnectUrls.Select(u => (u.Authority, u, true, (int?)null)).ToList();
        var workers = await WorkerTaskMap.BuildAsync(client, known, cancellationToken).ConfigureAwait(false);

        // Workers the status API names but no configured URL points at still run: the harness only cannot see them.
        return [.. workers.Select(w => w.IsRunning ? w : w with { IsRunning = true })];
    }

    /// <inheritdoc/>
    /// <exception cref="MissingCapabilityException">Always: the harness does not add workers to a team's cluster.</exception>
    public Task<WorkerInfo> AddWorkerAsync(CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.AddWorker);

    /// <inheritdoc/>
    /// <exception cref="MissingCapabilityException">Always: the harness does not kill a team's workers.</exception>
    public Task KillWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.KillWorker);

    /// <inheritdoc/>
    /// <exception cref="MissingCapabilityException">Always: the harness does not restart a team's workers.</exception>
    public Task<WorkerInfo> RestartWorkerAsync(string workerId, CancellationToken cancellationToken = default) =>
        throw new MissingCapabilityException(Name, EnvironmentCapabilities.RestartWorker);

    /// <summary>Stops the fault proxy, if one runs; nothing on the cluster is touched.</summary>
    /// <returns>A task that completes when the proxy is stopped.</returns>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync(async () =>
    {
        if (_proxy is { } proxy)
        {
            _proxy = null;
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    });

    private (string Host, int Port) SinkAddress(bool throughProxy)
    {
        if (throughProxy && _options.TargetProxyAddress is { } address)
        {
            return ExternalEnvironmentOptions.SplitHostPort(address);
        }

        var connector = new NpgsqlConnectionStringBuilder(_options.ConnectorTargetConnectionString ?? _options.TargetConnectionString);
        return (connector.Host!.Split(',')[0], connector.Port);
    }
}
