using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <summary>Describes one member of a consumer group as the group coordinator reports it.</summary>
/// <param name="MemberId">The member id the coordinator gave it; a member that was evicted and joins again gets a new one.</param>
/// <param name="ClientId">The client id (a Connect sink task's consumer is <c>connector-consumer-&lt;connector&gt;-&lt;task&gt;</c>).</param>
/// <param name="Host">The host the member connected from.</param>
/// <param name="Partitions">The partitions assigned to it.</param>
public sealed record ConsumerGroupMember(string MemberId, string ClientId, string Host, IReadOnlyList<SourcePartition> Partitions);
