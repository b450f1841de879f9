using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SinkIdempotency.Broker;

/// <summary>Configures an embedded <see cref="KafkaBroker"/>; every default matches what a test expects of Kafka.</summary>
public sealed class KafkaBrokerOptions
{
    /// <summary>Gets the TCP port to listen on (127.0.0.1 only); 0 picks a free port.</summary>
    /// <value>0.</value>
    public int Port { get; init; }

    /// <summary>Gets a value indicating whether Metadata and Produce requests create unknown topics (Kafka's <c>auto.create.topics.enable</c>).</summary>
    /// <value><see langword="true"/>.</value>
    public bool AutoCreateTopics { get; init; } = true;

    /// <summary>Gets the partition count of auto-created topics and of CreateTopics requests that ask for the default (Kafka's <c>num.partitions</c>).</summary>
    /// <value>1.</value>
    public int DefaultPartitions { get; init; } = 1;

    /// <summary>Gets the largest partition count a topic may have.</summary>
    /// <value>10,000.</value>
    public int MaxPartitionsPerTopic { get; init; } = 10_000;

    /// <summary>Gets the node id of this single broker (also the controller and every partition's leader).</summary>
    /// <value>1.</value>
    public int NodeId { get; init; } = 1;

    /// <summary>Gets the cluster id reported in Metadata (stable for the broker's lifetime).</summary>
    /// <value><c>SinkIdempotencyEmbedded</c>.</value>
    public string ClusterId { get; init; } = "SinkIdempotencyEmbedded";

    /// <summary>Gets the largest request frame accepted; a larger declared size closes the connection (Kafka's <c>socket.request.max.bytes</c>).</summary>
    /// <value>104,857,600 bytes (100 MiB).</value>
    public int MaxRequestBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>Gets the clock for fetch long-polls, group timers, retention and fault delays.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the logger factory for connection and protocol diagnostics.</summary>
    /// <value><see langword="null"/> (no logging).</value>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Gets how long a new (empty) group waits for more members before its first generation (Kafka's <c>group.initial.rebalance.delay.ms</c>).</summary>
    /// <value>Zero, so tests do not wait; Kafka's own default is 3 seconds.</value>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Gets the smallest session timeout a member may ask for (Kafka's <c>group.min.session.timeout.ms</c>).</summary>
    /// <value>6 seconds, as in Kafka.</value>
    public TimeSpan GroupMinSessionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Gets the largest session timeout a member may ask for (Kafka's <c>group.max.session.timeout.ms</c>).</summary>
    /// <value>30 minutes, as in Kafka.</value>
    public TimeSpan GroupMaxSessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets the largest commit metadata string accepted (Kafka's <c>offset.metadata.max.bytes</c>).</summary>
    /// <value>4096 bytes, as in Kafka.</value>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>Gets how long a topic keeps a log segment after the segment's newest record, for topics that do not set <c>retention.ms</c> (Kafka's <c>log.retention.ms</c>); <see cref="Timeout.InfiniteTimeSpan"/> keeps data forever.</summary>
    /// <value>Null: Kafka's default, 7 days, reported by DescribeConfigs as DEFAULT_CONFIG (a value here is reported as STATIC_BROKER_CONFIG).</value>
    public TimeSpan? DefaultRetention { get; init; }

    /// <summary>Gets the most bytes a partition keeps, for topics that do not set <c>retention.bytes</c> (Kafka's <c>log.retention.bytes</c>); -1 means no limit.</summary>
    /// <value>Null: Kafka's default, -1 (no limit).</value>
    public long? DefaultRetentionBytes { get; init; }

    /// <summary>Gets the size at which a partition starts a new log segment, for topics that do not set <c>segment.bytes</c> (Kafka's <c>log.segment.bytes</c>).</summary>
    /// <value>Null: Kafka's default, 1 GiB.</value>
    /// <remarks>Retention deletes whole segments, as Kafka does: the smaller the segments, the closer deletion follows the retention limit.</remarks>
    public int? DefaultSegmentBytes { get; init; }

    /// <summary>Gets the record-time span after which a partition starts a new log segment, for topics that do not set <c>segment.ms</c> (Kafka's <c>log.roll.ms</c>).</summary>
    /// <value>Null: Kafka's default, 7 days.</value>
    public TimeSpan? DefaultSegmentRoll { get; init; }

    /// <summary>Gets how often the broker applies retention by itself (Kafka's <c>log.retention.check.interval.ms</c>); <see cref="Timeout.InfiniteTimeSpan"/> applies it only when <see cref="KafkaBroker.ApplyRetention"/> is called.</summary>
    /// <value>5 minutes, as in Kafka.</value>
    public TimeSpan RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when a value is out of range, naming the option and the accepted range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The cluster id is empty.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 (any free port) and 65535.");
        }

        if (DefaultPartitions < 1 || DefaultPartitions > MaxPartitionsPerTopic)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultPartitions), DefaultPartitions, $"DefaultPartitions must be between 1 and MaxPartitionsPerTopic ({MaxPartitionsPerTopic}).");
        }

        if (NodeId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NodeId), NodeId, "NodeId must be zero or positive.");
        }

        if (MaxRequestBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBytes), MaxRequestBytes, "MaxRequestBytes must be at least 1024.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            throw new ArgumentException("ClusterId must be a non-empty string; librdkafka warns when the cluster id is missing.", nameof(ClusterId));
        }

        if (InitialRebalanceDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialRebalanceDelay), InitialRebalanceDelay, "InitialRebalanceDelay must be zero or positive.");
        }

        if (GroupMinSessionTimeout <= TimeSpan.Zero || GroupMinSessionTimeout > GroupMaxSessionTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(GroupMinSessionTimeout), GroupMinSessionTimeout, $"GroupMinSessionTimeout must be positive and at most GroupMaxSessionTimeout ({GroupMaxSessionTimeout}).");
        }

        if (OffsetMetadataMaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(OffsetMetadataMaxBytes), OffsetMetadataMaxBytes, "OffsetMetadataMaxBytes must be zero or positive.");
        }

        if (DefaultRetention is { } retention && retention < TimeSpan.Zero && retention != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultRetention), retention, "DefaultRetention must be zero or positive, or Timeout.InfiniteTimeSpan to keep data forever.");
        }

        if (DefaultRetentionBytes is < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultRetentionBytes), DefaultRetentionBytes, "DefaultRetentionBytes must be -1 (no limit) or at least 0.");
        }

        if (DefaultSegmentBytes is < Log.TopicConfigs.MinSegmentBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultSegmentBytes), DefaultSegmentBytes, $"DefaultSegmentBytes must be at least {Log.TopicConfigs.MinSegmentBytes}, as in Kafka.");
        }

        if (DefaultSegmentRoll is { } roll && roll < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultSegmentRoll), roll, "DefaultSegmentRoll must be at least 1 millisecond.");
        }

        if (RetentionCheckInterval < TimeSpan.FromMilliseconds(1) && RetentionCheckInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(RetentionCheckInterval), RetentionCheckInterval, "RetentionCheckInterval must be at least 1 millisecond, or Timeout.InfiniteTimeSpan to apply retention only on request.");
        }
    }

    /// <summary>Returns the broker log configs these options set, by Kafka broker config name (DescribeConfigs reports them as STATIC_BROKER_CONFIG).</summary>
    internal IReadOnlyDictionary<string, string> StaticLogConfigs()
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (DefaultRetention is { } retention)
        {
            configs["log.retention.ms"] = Milliseconds(retention);
        }

        if (DefaultRetentionBytes is { } bytes)
        {
            configs["log.retention.bytes"] = bytes.ToString(CultureInfo.InvariantCulture);
        }

        if (DefaultSegmentBytes is { } segmentBytes)
        {
            configs["log.segment.bytes"] = segmentBytes.ToString(CultureInfo.InvariantCulture);
        }

        if (DefaultSegmentRoll is { } roll)
        {
            configs["log.roll.ms"] = Milliseconds(roll);
        }

        return configs;
    }

    private static string Milliseconds(TimeSpan value) =>
        (value == Timeout.InfiniteTimeSpan ? -1L : (long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
