namespace SinkIdempotency.Sink;

/// <summary>Identifies one partition of one Kafka topic.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number.</param>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    /// <summary>Formats the partition as Kafka does, <c>topic-partition</c>.</summary>
    /// <returns>The text <c>topic-partition</c>.</returns>
    public override string ToString() => $"{Topic}-{Partition}";
}
