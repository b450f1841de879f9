using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets.Search;

namespace SinkIdempotency.Targets;

/// <summary>Serves an Elasticsearch (or OpenSearch) cluster as a scenario's target for Elasticsearch's sink connector: each run writes to an index named as its table (a <c>RegexRouter</c> renames the topic, since the sink names indexes after topics), read by <see cref="ElasticsearchIndexReader"/> and deleted on cleanup.</summary>
/// <param name="harnessUrl">How the harness reaches the cluster.</param>
/// <param name="sinkUrl">How the connectors reach it (the sink's <c>connection.url</c>).</param>
internal sealed class ElasticsearchSinkTarget(Uri harnessUrl, Uri sinkUrl) : ISinkTarget
{
    /// <inheritdoc/>
    public string Kind => ScenarioTarget.ElasticsearchKind;

    /// <inheritdoc/>
    /// <value>Empty: indexes have no schema.</value>
    public string Schema => string.Empty;

    /// <inheritdoc/>
    public TargetFaultProxy? Proxy => null;

    /// <inheritdoc/>
    public bool UsesScenarioTargetSettings => false;

    /// <inheritdoc/>
    public string? ExplainUnsupported(Scenario scenario) =>
        TargetRefusals.Explain(Kind, scenario, "maps any field dynamically, so");

    /// <inheritdoc/>
    /// <remarks><c>connection.url</c> and a router that sends the run's topic to the index named as the run's table (the table name is lower case, as index names must be).</remarks>
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) => ElasticsearchSinkSettings.Connection(sinkUrl);

    /// <inheritdoc/>
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new ElasticsearchIndexReader(harnessUrl, mapping.Table, JsonValueMapping.From(mapping));
    }

    /// <inheritdoc/>
    /// <remarks>Deletes the run's index.</remarks>
    public Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        return ElasticsearchIndexReader.DeleteIndexAsync(harnessUrl, table, cancellationToken: cancellationToken);
    }

    /// <inheritdoc/>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"The {Kind} target maps any field dynamically; it cannot be narrowed for poison records."));

    /// <inheritdoc/>
    /// <remarks>
    /// Not answered: a search index served in Docker cannot tell which of its requests came from the frozen worker's connections,
    /// and the Docker environment does not ask (its freeze confirms no drain). Asking throws rather than answering "idle".
    /// </remarks>
    public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Kind} target cannot say whether a frozen worker's write is in flight; only the embedded environment's targets drain.");

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
