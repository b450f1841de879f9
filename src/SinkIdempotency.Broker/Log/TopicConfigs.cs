namespace SinkIdempotency.Broker.Log;

/// <summary>
/// The topic-level configuration names Kafka accepts, with the defaults DescribeConfigs reports.
/// </summary>
/// <remarks>
/// Only <c>max.message.bytes</c> changes the embedded broker's behaviour; the others are stored and
/// reported so that clients which create topics with configs and read them back see what Kafka shows.
/// </remarks>
internal static class TopicConfigs
{
    public const string MaxMessageBytes = "max.message.bytes";

    /// <summary>Kafka's default max.message.bytes (1 MiB + record batch overhead).</summary>
    public const int DefaultMaxMessageBytes = 1048588;

    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["compression.type"] = "producer",
        ["compression.gzip.level"] = "-1",
        ["compression.lz4.level"] = "9",
        ["compression.zstd.level"] = "3",
        ["delete.retention.ms"] = "86400000",
        ["file.delete.delay.ms"] = "60000",
        ["flush.messages"] = "9223372036854775807",
        ["flush.ms"] = "9223372036854775807",
        ["follower.replication.throttled.replicas"] = string.Empty,
        ["index.interval.bytes"] = "4096",
        ["leader.replication.throttled.replicas"] = string.Empty,
        ["local.retention.bytes"] = "-2",
        ["local.retention.ms"] = "-2",
        ["max.compaction.lag.ms"] = "9223372036854775807",
        [MaxMessageBytes] = "1048588",
        ["message.downconversion.enable"] = "true",
        ["message.format.version"] = "3.0-IV1",
        ["message.timestamp.after.max.ms"] = "9223372036854775807",
        ["message.timestamp.before.max.ms"] = "9223372036854775807",
        ["message.timestamp.difference.max.ms"] = "9223372036854775807",
        ["message.timestamp.type"] = "CreateTime",
        ["min.cleanable.dirty.ratio"] = "0.5",
        ["min.compaction.lag.ms"] = "0",
        ["min.insync.replicas"] = "1",
        ["preallocate"] = "false",
        ["remote.storage.enable"] = "false",
        ["retention.bytes"] = "-1",
        ["retention.ms"] = "604800000",
        ["segment.bytes"] = "1073741824",
        ["segment.index.bytes"] = "10485760",
        ["segment.jitter.ms"] = "0",
        ["segment.ms"] = "604800000",
        ["unclean.leader.election.enable"] = "false",
    };

    /// <summary>Checks one config entry of a CreateTopics request; returns an error message, or null when valid.</summary>
    public static string? Validate(string name, string? value)
    {
        if (!Defaults.ContainsKey(name))
        {
            return $"Unknown topic config name: {name}";
        }

        if (value is null)
        {
            return $"Null value not supported for topic configs: {name}";
        }

        if (name == MaxMessageBytes && (!int.TryParse(value, out var max) || max < 0))
        {
            return $"Invalid value {value} for configuration {name}: Not a number of type INT";
        }

        if (name == "cleanup.policy" && value.Split(',').Any(p => p.Trim() is not ("delete" or "compact")))
        {
            return $"Invalid value {value} for configuration {name}: String must be one of: compact, delete";
        }

        return null;
    }
}
