namespace SinkIdempotency.Workload;

/// <summary>Identifies one record of a source topic by its partition and offset.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number within the topic.</param>
/// <param name="Offset">The record's offset within the partition.</param>
public readonly record struct SourcePosition(string Topic, int Partition, long Offset)
{
    /// <summary>Gets the partition that holds the record.</summary>
    /// <value>The topic and partition of this position.</value>
    public SourcePartition SourcePartition => new(Topic, Partition);

    /// <summary>Formats the position as <c>topic-partition@offset</c>.</summary>
    /// <returns>The topic, partition and offset.</returns>
    public override string ToString() => $"{Topic}-{Partition}@{Offset}";
}
