using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Describes the parsed facts of one request, as fault predicates and observers see them.</summary>
/// <param name="ApiKey">The API of the request.</param>
/// <param name="ApiVersion">The API version of the request.</param>
/// <param name="CorrelationId">The correlation id from the request header.</param>
/// <param name="ClientId">The client id from the request header, or null.</param>
/// <param name="ConnectionId">The broker's id for the connection the request arrived on.</param>
/// <param name="GroupId">The consumer group the request names (group APIs), or null.</param>
/// <param name="MemberId">The member id the request carries (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit), or null.</param>
/// <param name="GenerationId">The generation the request carries (SyncGroup, Heartbeat, OffsetCommit), or null.</param>
/// <param name="Topics">The topics the request names (Produce, Fetch, ListOffsets, Metadata, topic admin and offset APIs).</param>
/// <param name="Offsets">The partitions of an OffsetCommit, OffsetFetch or OffsetDelete request (empty for other APIs).</param>
public sealed record BrokerRequest(
    ApiKey ApiKey,
    short ApiVersion,
    int CorrelationId,
    string? ClientId,
    long ConnectionId,
    string? GroupId,
    string? MemberId,
    int? GenerationId,
    IReadOnlyList<string> Topics,
    IReadOnlyList<BrokerPartitionOffset> Offsets);
