namespace SinkIdempotency.Broker.Log;

/// <summary>A topic: its partitions' logs and the configs it was created with (overrides of the defaults).</summary>
internal sealed class Topic
{
    public Topic(string name, int partitionCount, IReadOnlyDictionary<string, string?> configs)
    {
        Name = name;
        Id = Guid.NewGuid();
        Partitions = [.. Enumerable.Range(0, partitionCount).Select(p => new PartitionLog(name, p))];
        Configs = new Dictionary<string, string?>(configs, StringComparer.Ordinal);
        MaxMessageBytes = Configs.TryGetValue(TopicConfigs.MaxMessageBytes, out var max) && int.TryParse(max, out var parsed)
            ? parsed
            : TopicConfigs.DefaultMaxMessageBytes;
    }

    public string Name { get; }

    public Guid Id { get; }

    public IReadOnlyList<PartitionLog> Partitions { get; }

    /// <summary>Gets the configs set explicitly at creation (reported as DYNAMIC_TOPIC_CONFIG).</summary>
    public IReadOnlyDictionary<string, string?> Configs { get; }

    public int MaxMessageBytes { get; }

    public PartitionLog? GetPartition(int index) => index >= 0 && index < Partitions.Count ? Partitions[index] : null;
}
