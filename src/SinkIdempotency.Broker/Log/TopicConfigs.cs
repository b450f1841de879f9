using System.Globalization;

namespace SinkIdempotency.Broker.Log;

/// <summary>
/// The topic-level configuration names Kafka accepts, their Kafka defaults, the broker configs they fall
/// back to, and the checks a value must pass.
/// </summary>
/// <remarks>
/// <c>max.message.bytes</c>, <c>cleanup.policy</c>, <c>retention.ms</c>, <c>retention.bytes</c>,
/// <c>segment.bytes</c> and <c>segment.ms</c> change the embedded broker's behaviour; the others are stored
/// and reported so that clients which set configs and read them back see what Kafka shows.
/// </remarks>
internal static class TopicConfigs
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";

    /// <summary>Kafka's default max.message.bytes (1 MiB + record batch overhead).</summary>
    public const int DefaultMaxMessageBytes = 1048588;

    /// <summary>Kafka's smallest segment.bytes (the v0 record overhead).</summary>
    public const int MinSegmentBytes = 14;

    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [CleanupPolicy] = "delete",
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
        [RetentionBytes] = "-1",
        [RetentionMs] = "604800000",
        [SegmentBytes] = "1073741824",
        ["segment.index.bytes"] = "10485760",
        ["segment.jitter.ms"] = "0",
        [SegmentMs] = "604800000",
        ["unclean.leader.election.enable"] = "false",
    };

    /// <summary>
    /// Maps the topic configs whose broker-wide value <see cref="KafkaBrokerOptions"/> can set to that broker
    /// config (Kafka's <c>ServerTopicConfigSynonyms</c>) and to the broker config's own static default (null: none).
    /// </summary>
    public static IReadOnlyDictionary<string, (string Name, string? Default)> BrokerSynonyms { get; } = new Dictionary<string, (string, string?)>(StringComparer.Ordinal)
    {
        [CleanupPolicy] = ("log.cleanup.policy", "delete"),
        [MaxMessageBytes] = ("message.max.bytes", "1048588"),

        // log.retention.ms and log.roll.ms have no default of their own (the .hours forms do), so Kafka lists no
        // default synonym for retention.ms or segment.ms.
        [RetentionMs] = ("log.retention.ms", null),
        [RetentionBytes] = ("log.retention.bytes", "-1"),
        [SegmentBytes] = ("log.segment.bytes", "1073741824"),
        [SegmentMs] = ("log.roll.ms", null),
    };

    /// <summary>Gets the configs of Kafka's LIST type, the only ones IncrementalAlterConfigs may APPEND to or SUBTRACT from.</summary>
    public static IReadOnlySet<string> ListConfigs { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CleanupPolicy,
        "follower.replication.throttled.replicas",
        "leader.replication.throttled.replicas",
    };

    /// <summary>Checks one topic config entry (CreateTopics, AlterConfigs, IncrementalAlterConfigs); returns Kafka's error message, or null when valid.</summary>
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

        return name switch
        {
            MaxMessageBytes => CheckInt(name, value, 0),
            SegmentBytes => CheckInt(name, value, MinSegmentBytes),
            RetentionMs => CheckLong(name, value, -1),
            RetentionBytes => CheckLong(name, value, long.MinValue),
            SegmentMs => CheckLong(name, value, 1),
            CleanupPolicy when value.Split(',').Any(p => p.Trim() is not ("delete" or "compact")) =>
                $"Invalid value {value} for configuration {name}: String must be one of: compact, delete",
            _ => null,
        };
    }

    private static string? CheckInt(string name, string value, int min) =>
        !int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? $"Invalid value {value} for configuration {name}: Not a number of type INT"
        : parsed < min ? $"Invalid value {value} for configuration {name}: Value must be at least {min}"
        : null;

    private static string? CheckLong(string name, string value, long min) =>
        !long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? $"Invalid value {value} for configuration {name}: Not a number of type LONG"
        : parsed < min ? $"Invalid value {value} for configuration {name}: Value must be at least {min}"
        : null;
}
