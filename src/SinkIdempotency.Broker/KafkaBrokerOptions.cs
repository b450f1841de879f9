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
    }
}
