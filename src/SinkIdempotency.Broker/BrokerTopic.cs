namespace SinkIdempotency.Broker;

/// <summary>A read-only snapshot of one topic of an embedded broker.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Partitions">The partitions, by index.</param>
/// <param name="Configs">The configs set on the topic itself (at creation or altered since), without the defaults.</param>
public sealed record BrokerTopic(string Name, IReadOnlyList<BrokerPartition> Partitions, IReadOnlyDictionary<string, string?> Configs);
