namespace SinkIdempotency.Workload;

/// <summary>Identifies one partition of a source topic.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number within the topic.</param>
public readonly record struct SourcePartition(string Topic, int Partition)
{
    /// <summary>Formats the partition as <c>topic-partition</c>, the way Kafka tools print it.</summary>
    /// <returns>The topic and partition joined by a dash.</returns>
    public override string ToString() => $"{Topic}-{Partition}";
}
