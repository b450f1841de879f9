namespace SinkIdempotency.Broker;

/// <summary>Consumer-group settings of the embedded broker.</summary>
public sealed partial class KafkaBrokerOptions
{
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

    partial void ValidateGroupOptions()
    {
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
