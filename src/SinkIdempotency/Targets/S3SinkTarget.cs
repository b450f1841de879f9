using SinkIdempotency.Proxy;
using SinkIdempotency.Scenarios;
using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Targets;

/// <summary>Serves an S3 bucket as a scenario's target for Confluent's S3 sink: each run writes under a folder of its own (<c>topics.dir</c> = the run's table name), read by <see cref="S3SinkReader"/> and deleted on cleanup.</summary>
/// <remarks>The connectors reach the store at <paramref name="sinkStoreUrl"/> (for example <c>http://minio:9000</c> on a Docker network); the harness at <see cref="S3Connection.ServiceUrl"/>. There is no fault proxy in front of it (<see cref="SinkTargets.S3"/> refuses the faults that need one).</remarks>
/// <param name="connection">How the harness reaches the store.</param>
/// <param name="bucket">The bucket every run writes to.</param>
/// <param name="sinkStoreUrl">How the connectors reach the store (the sink's <c>store.url</c>).</param>
internal sealed class S3SinkTarget(S3Connection connection, string bucket, Uri sinkStoreUrl) : ISinkTarget
{
    /// <inheritdoc/>
    public string Kind => ScenarioTarget.S3Kind;

    /// <inheritdoc/>
    /// <value>The bucket.</value>
    public string Schema => bucket;

    /// <inheritdoc/>
    public TargetFaultProxy? Proxy => null;

    /// <inheritdoc/>
    public bool UsesScenarioTargetSettings => false;

    /// <inheritdoc/>
    public string? ExplainUnsupported(Scenario scenario) =>
        TargetRefusals.Explain(Kind, scenario, "takes any object, so");

    /// <inheritdoc/>
    /// <remarks><c>store.url</c>, <c>s3.bucket.name</c>, <c>s3.region</c>, path-style access, the access key pair, and <c>topics.dir</c> set to the run's table name so each run has a folder of its own.</remarks>
    public IReadOnlyDictionary<string, string> GetConnectorSettings(bool throughProxy) => S3SinkSettings.Connection(sinkStoreUrl, bucket, connection);

    /// <inheritdoc/>
    public ITargetReader OpenReader(PostgreSqlTableMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return new S3SinkReader(connection, bucket, mapping.Table, JsonValueMapping.From(mapping));
    }

    /// <inheritdoc/>
    /// <remarks>Deletes every object under the run's folder.</remarks>
    public async Task DropTableAsync(string schema, string table, CancellationToken cancellationToken = default)
    {
        RunNamespace.EnsureRunScoped("table", table);
        using var client = new S3Client(connection);
        var keys = new List<string>();
        await foreach (var key in client.ListKeysAsync(bucket, table + "/", cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        foreach (var key in keys)
        {
            await client.DeleteAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task<string> ConstrainForPoisonAsync(string schema, string table, IReadOnlyCollection<PoisonKind> kinds, ScenarioWorkload workload, CancellationToken cancellationToken = default) =>
        Task.FromException<string>(new NotSupportedException($"The {Kind} target takes any object; it cannot be narrowed for poison records."));

    /// <inheritdoc/>
    /// <remarks>
    /// Not answered: an object store served in Docker cannot tell which of its requests came from the frozen worker's connections,
    /// and the Docker environment does not ask (its freeze confirms no drain). Asking throws rather than answering "idle".
    /// </remarks>
    public Task<int> CountWritesInFlightAsync(IReadOnlyCollection<int> clientPorts, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Kind} target cannot say whether a frozen worker's write is in flight; only the embedded environment's targets drain.");

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
