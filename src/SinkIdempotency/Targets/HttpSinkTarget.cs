using System.Globalization;
using SinkIdempotency.Faults;
using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets.Http;

namespace SinkIdempotency.Targets;

/// <summary>Serves an HTTP API target for the worker's HTTP sink: each run POSTs to a path of its own on one <see cref="HttpTargetServer"/>, read back by <see cref="HttpTargetReader"/>.</summary>
/// <remarks>
/// <para>
/// The connector settings are <c>http.url</c> (the server's, or the fault proxy's, address with the run's table name as
/// path) and <c>http.idempotency.key.enable</c>: <c>false</c> for <see cref="ScenarioTarget.HttpPlainKind"/> (plain POSTs: a
/// lost reply makes a duplicate), <c>true</c> for <see cref="ScenarioTarget.HttpIdempotencyKeyKind"/> (every request carries
/// <c>topic+partition+offset</c> in <c>Idempotency-Key</c>, which the server honours per path as APIs with idempotency keys do).
/// Through the proxy the sink also gets <c>http.request.timeout.ms</c> of <see cref="SinkScenarioDriver.ProxyReplyTimeoutSeconds"/>,
/// so it gives up on a withheld reply and retries as an HTTP sink connector does.
/// </para>
/// <para>
/// The target timeout acts through the fault proxy, which reads HTTP/1.1 (<see cref="TargetWireProtocol.Http"/>): the server
/// applies the request and the proxy withholds its 2xx response. The server's own response faults
/// (<see cref="HttpTargetFault"/>) stay for tests of the sink alone: a scenario's faults act on the network path, so the
/// evidence is the proxy's for every target. Refused: poison records that must fail at the target (the API takes any JSON
/// body). A frozen kill waits for the requests the server is still handling (<see cref="CountWritesInFlightAsync"/>).
/// </para>
/// </remarks>
internal sealed class HttpSinkTarget : ISinkTarget
{
    private readonly HttpTargetServer _server;
    private readonly bool _keyed;

    /// <summary>Initializes an HTTP target over a running server.</summary>
    /// <param name="kind"><see cref="ScenarioTarget.HttpPlainKind"/> or <see cref="ScenarioTarget.HttpIdempotencyKeyKind"/>.</param>
    /// <param name="server">The server; it must honour idempotency keys for the keyed kind.</param>
    /// <param name="proxy">The HTTP fault proxy in front of the server, if any.</param>
    /// <exception cref="ArgumentException">The kind is not an HTTP kind.</exception>
    public HttpSinkTarget(string kind, HttpTargetServer server, TargetFaultProxy? proxy)
    {
        ArgumentNullException.ThrowIfNull(server);
        _keyed = kind switch
        {
            ScenarioTarget.HttpPlainKind => false,
            ScenarioTarget.HttpIdempotencyKeyKind => true,
            _ => throw new ArgumentException($"'{kind}' is not an HTTP target kind; use {ScenarioTarget.HttpPlainKind} or {ScenarioTarget.HttpIdempotencyKeyKind}.", nameof(kind)),
        };
        Kind = kind;
        _server = server;
        Proxy = proxy;
        Schema = server.Url.AbsoluteUri;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    /// <value>The server's base address; a run's records are under the path named after its table.</value>
    public string Schema { get; }

    /// <inheritdoc />
    public TargetFaultProxy? Proxy { get; }

    /// <inheritdoc />
    public bool UsesScenarioTargetSettings => false;

    /// <inheritdoc />
    public string? ExplainUnsupported(Scenario scenario) =>
        TargetRefusals.Explain(Kind, scenario, "accepts any JSON body, so");

    /// <inheritdoc />
    /// <remarks><c>http.url</c> carries <c>${table}</c> as its path, which the run resolves to its table name.</remarks>
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy)
    {
        var port = throughProxy && Proxy is { } proxy ? proxy.Port : _server.Url.Port;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["http.url"] = string.Create(CultureInfo.InvariantCulture, $"http://{_server.Url.Host}:{port}/${{table}}"),
            ["http.idempotency.key.enable"] = _keyed ? "true" : "false",
        };
        if (throughProxy)
        {
            settings["http.request.timeout.ms"] = (SinkScenarioDriver.ProxyReplyTimeoutSeconds * 1000).ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <inheritdoc />
    /// <remarks>The mapping's column names name the body's fields (event id, key, version, hashed payload); the Kafka coordinates come from each request's headers.</remarks>
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return _server.CreateReader(
            JsonValueMapping.From(mapping),
            RunPath(mapping.Schema, mapping.Table));
    }

    /// <inheritdoc />
    /// <remarks>Forgets the run's path on the server: its records, idempotency keys and audit entries.</remarks>
    /// <exception cref="InvalidOperationException">The table is not in a run namespace; the harness deletes only what a run created.</exception>
    public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        _server.RemovePath(RunPath(schema, table));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: <see cref="ExplainUnsupported"/> refuses scenarios that need it.</exception>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"The {Kind} target accepts any JSON body; it cannot be narrowed for poison records."));

    /// <inheritdoc />
    /// <remarks>Asks the server (<see cref="HttpTargetServer.CountRequestsInProgress"/>): a request counts from the moment its handler starts until the server has applied or refused it.</remarks>
    public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) =>
        Task.FromResult(_server.CountRequestsInProgress(clientPorts));

    /// <inheritdoc />
    /// <remarks>The server and proxy belong to the environment, which stops them.</remarks>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string RunPath(string schema, string table)
    {
        if (table.Length == 0 || table.AsSpan().IndexOfAny("/?#%") >= 0)
        {
            throw new ArgumentException($"The run's table name '{table}' must be a single path segment under {Schema}.", nameof(table));
        }

        return !string.IsNullOrEmpty(schema) && schema != Schema
            ? throw new ArgumentException($"The {Kind} target reads and deletes only under its server {Schema}, not under '{schema}'.", nameof(schema))
            : "/" + table;
    }
}
