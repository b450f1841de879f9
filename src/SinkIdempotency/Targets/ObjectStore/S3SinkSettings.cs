using SinkIdempotency.Targets.ObjectStore;

namespace SinkIdempotency.Targets;

/// <summary>Generates the settings of Confluent's S3 sink (<c>io.confluent.connect.s3.S3SinkConnector</c>, kafka-connect-storage-cloud) that point it at a store and a run's folder, and the settings that choose how it cuts objects.</summary>
public static class S3SinkSettings
{
    /// <summary>The S3 sink's connector class.</summary>
    public const string ConnectorClass = "io.confluent.connect.s3.S3SinkConnector";

    /// <summary>Creates the settings that point the sink at a store: <c>store.url</c>, <c>s3.bucket.name</c>, <c>s3.region</c>, path-style access (MinIO), the access key pair, and <c>topics.dir=${table}</c> so a run writes under a folder of its own.</summary>
    /// <param name="storeUrl">How the connectors reach the store, for example <c>http://minio:9000</c>.</param>
    /// <param name="bucket">The bucket.</param>
    /// <param name="connection">The region and credentials (the same account the harness reads with).</param>
    /// <returns>The settings.</returns>
    public static IReadOnlyDictionary<string, string> Connection(Uri storeUrl, string bucket, S3Connection connection)
    {
        ArgumentNullException.ThrowIfNull(storeUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentNullException.ThrowIfNull(connection);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["store.url"] = storeUrl.GetLeftPart(UriPartial.Authority),
            ["s3.bucket.name"] = bucket,
            ["s3.region"] = connection.Region,
            ["s3.path.style.access.enabled"] = "true",
            ["aws.access.key.id"] = connection.AccessKey,
            ["aws.secret.access.key"] = connection.SecretKey,
            ["topics.dir"] = "${table}",
        };
    }

    /// <summary>Creates the settings that make the sink write JSON-lines objects with its default partitioner, so objects are named <c>&lt;topics.dir&gt;/&lt;topic&gt;/partition=&lt;p&gt;/&lt;topic&gt;+&lt;p&gt;+&lt;startOffset&gt;.json</c>.</summary>
    /// <param name="flushSize">Records per object (<c>flush.size</c>).</param>
    /// <param name="rotateScheduleInterval">The wall-clock rotation (<c>rotate.schedule.interval.ms</c>), or <see langword="null"/> for none. Wall-clock rotation cuts objects at different offsets on a replay, which is what breaks the sink's exactly-once naming.</param>
    /// <returns>The settings, with the workload's converters (string keys, JSON values with schemas).</returns>
    /// <remarks>
    /// <c>rotate.interval.ms</c> is left at its default (off): the sink applies it with the timestamp extractor of a
    /// time-based partitioner, which the default partitioner does not have. With the default partitioner an object is
    /// therefore finished only after <paramref name="flushSize"/> records, so a partition's last records land only when its
    /// count is a multiple of it: the known-good configuration uses 1.
    /// </remarks>
    public static IReadOnlyDictionary<string, string> JsonObjects(int flushSize, TimeSpan? rotateScheduleInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flushSize, 1);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["connector.class"] = ConnectorClass,
            ["storage.class"] = "io.confluent.connect.s3.storage.S3Storage",
            ["format.class"] = "io.confluent.connect.s3.format.json.JsonFormat",
            ["partitioner.class"] = "io.confluent.connect.storage.partitioner.DefaultPartitioner",
            ["schema.compatibility"] = "NONE",
            ["flush.size"] = flushSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "true",
        };
        if (rotateScheduleInterval is { } interval)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
            settings["rotate.schedule.interval.ms"] = ((long)interval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["timezone"] = "UTC";
        }

        return settings;
    }
}
