namespace SinkIdempotency.Faults;

/// <summary>Chooses how <see cref="Replay"/> resets the connector's offsets.</summary>
public enum ReplayResetMethod
{
    /// <summary>The offsets API when the environment has it, otherwise the consumer group.</summary>
    Automatic,

    /// <summary>Kafka Connect's offsets API (<c>DELETE</c> or <c>PATCH /connectors/{name}/offsets</c>, KIP-875).</summary>
    OffsetsApi,

    /// <summary>The consumer group <c>connect-&lt;name&gt;</c> through the Kafka admin API, for Connect versions without the offsets API.</summary>
    ConsumerGroup,
}
