namespace SinkIdempotency.Broker.Groups;

/// <summary>Describes a consumer group at the moment it was inspected.</summary>
/// <param name="GroupId">The group id.</param>
/// <param name="State">The group state.</param>
/// <param name="GenerationId">The current generation (0 before the first completed join).</param>
/// <param name="ProtocolType">The protocol type (<c>consumer</c> for consumers, empty for offset-only groups).</param>
/// <param name="ProtocolName">The chosen assignor, or null when none is chosen.</param>
/// <param name="LeaderId">The leader's member id, or null.</param>
/// <param name="Members">The members.</param>
public sealed record ConsumerGroupSnapshot(
    string GroupId,
    BrokerGroupState State,
    int GenerationId,
    string ProtocolType,
    string? ProtocolName,
    string? LeaderId,
    IReadOnlyList<ConsumerGroupMemberSnapshot> Members);
