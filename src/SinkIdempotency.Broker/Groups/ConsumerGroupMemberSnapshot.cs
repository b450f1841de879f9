namespace SinkIdempotency.Broker.Groups;

/// <summary>Describes one member of a consumer group at the moment it was inspected.</summary>
/// <param name="MemberId">The member id the coordinator assigned.</param>
/// <param name="GroupInstanceId">The static instance id, or null for a dynamic member.</param>
/// <param name="ClientId">The client id from the member's requests.</param>
/// <param name="ClientHost">The remote address of the member's connection.</param>
/// <param name="SessionTimeout">The session timeout the member asked for.</param>
/// <param name="Assignment">The opaque assignment bytes the leader gave this member (empty before the first sync).</param>
public sealed record ConsumerGroupMemberSnapshot(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    TimeSpan SessionTimeout,
    ReadOnlyMemory<byte> Assignment);
