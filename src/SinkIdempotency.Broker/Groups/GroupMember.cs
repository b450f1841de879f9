using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

/// <summary>Holds one member's registration and its parked JoinGroup/SyncGroup answers; guarded by the group's lock.</summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, string? instanceId, string clientId, string clientHost)
    {
        MemberId = memberId;
        GroupInstanceId = instanceId;
        ClientId = clientId;
        ClientHost = clientHost;
    }

    public string MemberId { get; }

    public string? GroupInstanceId { get; }

    public string ClientId { get; set; }

    public string ClientHost { get; set; }

    public TimeSpan SessionTimeout { get; set; }

    public TimeSpan RebalanceTimeout { get; set; }

    public IReadOnlyList<JoinGroupProtocol> Protocols { get; set; } = [];

    public byte[] Assignment { get; set; } = [];

    /// <summary>Gets or sets the parked JoinGroup answer while the member waits for the join to complete.</summary>
    public TaskCompletionSource<JoinGroupResponse>? AwaitingJoin { get; set; }

    /// <summary>Gets or sets the parked SyncGroup answer while the member waits for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupResponse>? AwaitingSync { get; set; }

    /// <summary>Gets or sets when the member last heartbeat, joined or synced, from <see cref="TimeProvider.GetTimestamp"/>: the session expires <see cref="SessionTimeout"/> after it on the monotonic clock.</summary>
    public long SessionStartedAt { get; set; }

    public ITimer? SessionTimer { get; set; }

    public bool IsNew { get; set; }

    public byte[]? MetadataFor(string protocol) =>
        Protocols.FirstOrDefault(p => p.Name == protocol)?.Metadata;

    public bool SameProtocols(IReadOnlyList<JoinGroupProtocol> other)
    {
        if (other.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < other.Count; i++)
        {
            if (other[i].Name != Protocols[i].Name || !other[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }
}
