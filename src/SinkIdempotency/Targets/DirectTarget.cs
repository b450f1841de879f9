using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Wraps a target the connectors reach without the target fault proxy, refusing the failure cases that act on the proxy before the wrapped target's own refusals.</summary>
/// <param name="inner">The target.</param>
/// <param name="where">Where it runs, for the refusal's sentence.</param>
internal sealed class DirectTarget(ISinkTarget inner, string where) : ISinkTarget
{
    /// <inheritdoc/>
    public string Kind => inner.Kind;

    /// <inheritdoc/>
    public string Schema => inner.Schema;

    /// <inheritdoc/>
    public TargetFaultProxy? Proxy => null;

    /// <inheritdoc/>
    public bool UsesScenarioTargetSettings => inner.UsesScenarioTargetSettings;

    /// <inheritdoc/>
    public string? ExplainUnsupported(Scenario scenario) => DirectTargetRefusal.Explain(Kind, where, scenario) ?? inner.ExplainUnsupported(scenario);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) => inner.GetConnectorSettings(throughProxy: false);

    /// <inheritdoc/>
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping) => inner.OpenReader(mapping);

    /// <inheritdoc/>
    public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default) => inner.DropTableAsync(schema, table, cancellationToken);

    /// <inheritdoc/>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        inner.ConstrainForPoisonAsync(schema, table, kinds, workload, cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) =>
        inner.CountWritesInFlightAsync(clientPorts, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
