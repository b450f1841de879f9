using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Targets;

/// <summary>Creates the targets an environment serves to real connectors that reach the store directly, without the target fault proxy (the Docker environment's MySQL, MinIO and Elasticsearch containers).</summary>
/// <remarks>Each target refuses the failure cases that act on the target fault proxy, naming where the store runs in its sentence, before its own refusals.</remarks>
public static class SinkTargets
{
    /// <summary>Creates a MySQL target for Confluent's JDBC sink.</summary>
    /// <param name="connectionString">How the harness reaches MySQL (MySqlConnector syntax); its database is the run tables' schema.</param>
    /// <param name="sinkHost">The host the connectors reach MySQL at (for example <c>mysql</c> on a Docker network).</param>
    /// <param name="sinkPort">The port the connectors reach MySQL at.</param>
    /// <param name="where">Where MySQL runs, for refusals (for example "in the Docker environment").</param>
    /// <returns>The target.</returns>
    public static ISinkTarget MySql(string connectionString, string sinkHost, int sinkPort, string where) =>
        new DirectTarget(new MySqlSinkTarget(connectionString, sinkHost, sinkPort, proxy: null), where);

    /// <summary>Creates an S3 target for Confluent's S3 sink; each run writes under a folder of its own in <paramref name="bucket"/>.</summary>
    /// <param name="connection">How the harness reaches the store.</param>
    /// <param name="bucket">The bucket, which must exist.</param>
    /// <param name="sinkStoreUrl">How the connectors reach the store (the sink's <c>store.url</c>).</param>
    /// <param name="where">Where the store runs, for refusals.</param>
    /// <returns>The target.</returns>
    public static ISinkTarget S3(S3Connection connection, string bucket, Uri sinkStoreUrl, string where) =>
        new DirectTarget(new S3SinkTarget(connection, bucket, sinkStoreUrl), where);

    /// <summary>Creates an Elasticsearch target for Elasticsearch's sink connector; each run writes to an index of its own.</summary>
    /// <param name="harnessUrl">How the harness reaches the cluster.</param>
    /// <param name="sinkUrl">How the connectors reach it (the sink's <c>connection.url</c>).</param>
    /// <param name="where">Where the cluster runs, for refusals.</param>
    /// <returns>The target.</returns>
    public static ISinkTarget Elasticsearch(Uri harnessUrl, Uri sinkUrl, string where) =>
        new DirectTarget(new ElasticsearchSinkTarget(harnessUrl, sinkUrl), where);
}
