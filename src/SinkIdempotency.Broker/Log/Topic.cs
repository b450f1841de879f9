namespace SinkIdempotency.Broker.Log;

/// <summary>A topic: its partitions' logs and its current configuration.</summary>
internal sealed class Topic
{
    private TopicConfigSet _config;

    public Topic(string name, int partitionCount, TopicConfigSet config, TimeProvider timeProvider)
    {
        Name = name;
        Id = Guid.NewGuid();
        _config = config;
        Partitions = [.. Enumerable.Range(0, partitionCount).Select(p => new PartitionLog(name, p, timeProvider, () => Config))];
    }

    public string Name { get; }

    public Guid Id { get; }

    public IReadOnlyList<PartitionLog> Partitions { get; }

    /// <summary>Gets the topic's configuration now (altered configs take effect from the next read).</summary>
    public TopicConfigSet Config => Volatile.Read(ref _config);

    /// <summary>Gets the configs set on the topic itself (reported as TOPIC_CONFIG).</summary>
    public IReadOnlyDictionary<string, string?> Configs => Config.Overrides;

    public int MaxMessageBytes => Config.MaxMessageBytes;

    public PartitionLog? GetPartition(int index) => index >= 0 && index < Partitions.Count ? Partitions[index] : null;

    /// <summary>Replaces the topic's overrides (already validated); segment rolls and retention use them from now on.</summary>
    public void SetOverrides(IReadOnlyDictionary<string, string?> overrides) => Volatile.Write(ref _config, Config.WithOverrides(overrides));
}
