using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

/// <summary>
/// Runs one classic consumer group: membership, the join/sync barrier, session and rebalance timers,
/// and the group's committed offsets. Every method takes the group's lock; parked answers are
/// completed under the lock but their continuations run asynchronously, so no caller blocks.
/// </summary>
internal sealed partial class ConsumerGroup
{
    private static readonly TimeSpan DefaultRebalanceTimeout = TimeSpan.FromMinutes(5);

    private readonly Lock _sync = new();
    private readonly GroupCoordinatorOptions _options;
    private readonly List<GroupMember> _members = [];
    private readonly Dictionary<string, ITimer> _pendingMembers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingSync = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, int Partition), CommittedOffset> _offsets = [];
    private ITimer? _joinTimer;
    private ITimer? _syncTimer;
    private int _joinEpoch;
    private int _syncEpoch;
    private bool _inInitialDelay;
    private bool _newMemberAdded;
    private TimeSpan _initialDelayRemaining;

    public ConsumerGroup(string groupId, GroupCoordinatorOptions options)
    {
        GroupId = groupId;
        _options = options;
    }

    public string GroupId { get; }

    public BrokerGroupState State { get; private set; } = BrokerGroupState.Empty;

    public int GenerationId { get; private set; }

    public string ProtocolType { get; private set; } = string.Empty;

    public string? ProtocolName { get; private set; }

    public string? LeaderId { get; private set; }

    private TimeProvider Time => _options.TimeProvider;

    public ConsumerGroupSnapshot Snapshot()
    {
        lock (_sync)
        {
            return new ConsumerGroupSnapshot(
                GroupId,
                State,
                GenerationId,
                ProtocolType,
                ProtocolName,
                LeaderId,
                _members.Select(m => new ConsumerGroupMemberSnapshot(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.SessionTimeout, m.Assignment)).ToList());
        }
    }

    /// <summary>Removes a member at once, as if its session had timed out; returns false if it is not a member.</summary>
    public bool ExpireMember(string memberId)
    {
        lock (_sync)
        {
            var member = Find(memberId);
            if (member is null)
            {
                return false;
            }

            RemoveMemberAndUpdate(member);
            return true;
        }
    }

    /// <summary>Stops the group's timers and answers its parked requests with COORDINATOR_NOT_AVAILABLE (broker shutdown).</summary>
    public void Shutdown()
    {
        lock (_sync)
        {
            CancelJoinTimer();
            CancelSyncTimer();
            foreach (var timer in _pendingMembers.Values)
            {
                timer.Dispose();
            }

            _pendingMembers.Clear();
            foreach (var member in _members)
            {
                member.SessionTimer?.Dispose();
                member.SessionTimer = null;
                member.AwaitingJoin?.TrySetResult(JoinGroupResponse.Error(ErrorCode.CoordinatorNotAvailable, member.MemberId));
                member.AwaitingJoin = null;
                member.AwaitingSync?.TrySetResult(SyncGroupResponse.Error(ErrorCode.CoordinatorNotAvailable));
                member.AwaitingSync = null;
            }
        }
    }

    private GroupMember? Find(string memberId)
    {
        foreach (var member in _members)
        {
            if (member.MemberId == memberId)
            {
                return member;
            }
        }

        return null;
    }

    private TimeSpan MaxRebalanceTimeout() =>
        _members.Count == 0 ? DefaultRebalanceTimeout : _members.Max(m => m.RebalanceTimeout);

    private ITimer StartTimer(TimeSpan due, Action onFire) =>
        Time.CreateTimer(_ => onFire(), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);

    private ITimer StartJoinTimer(TimeSpan due, Action<int> onFire)
    {
        var epoch = ++_joinEpoch;
        return StartTimer(due, () => onFire(epoch));
    }

    private ITimer StartSyncTimer(TimeSpan due, Action<int> onFire)
    {
        var epoch = ++_syncEpoch;
        return StartTimer(due, () => onFire(epoch));
    }

    private void CancelJoinTimer()
    {
        _joinTimer?.Dispose();
        _joinTimer = null;
    }

    private void CancelSyncTimer()
    {
        _syncTimer?.Dispose();
        _syncTimer = null;
    }

    private void ResetSession(GroupMember member)
    {
        member.SessionStartedAt = Time.GetTimestamp();
        if (member.SessionTimer is null)
        {
            member.SessionTimer = Time.CreateTimer(static state => ((SessionTimerState)state!).Fire(), new SessionTimerState(this, member), member.SessionTimeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            member.SessionTimer.Change(member.SessionTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSessionTimer(GroupMember member)
    {
        lock (_sync)
        {
            if (Find(member.MemberId) != member)
            {
                return;
            }

            // A timer may fire a tick early, and a wall-clock step must neither shorten nor stretch a session: measure on the monotonic clock.
            var remaining = member.SessionTimeout - Time.GetElapsedTime(member.SessionStartedAt);
            if (remaining > TimeSpan.Zero)
            {
                member.SessionTimer?.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            // Kafka keeps members alive while they wait in the join or sync barrier; the rebalance
            // timeout, not the session timeout, removes those that never come back.
            if (member.AwaitingJoin is not null || member.AwaitingSync is not null)
            {
                ResetSession(member);
                return;
            }

            RemoveMemberAndUpdate(member);
        }
    }

    private void RemoveMemberCore(GroupMember member, ErrorCode parkedError)
    {
        _members.Remove(member);
        _pendingSync.Remove(member.MemberId);
        member.SessionTimer?.Dispose();
        member.SessionTimer = null;
        member.AwaitingJoin?.TrySetResult(JoinGroupResponse.Error(parkedError, member.MemberId));
        member.AwaitingJoin = null;
        member.AwaitingSync?.TrySetResult(SyncGroupResponse.Error(parkedError));
        member.AwaitingSync = null;
        if (LeaderId == member.MemberId)
        {
            LeaderId = _members.Count > 0 ? _members[0].MemberId : null;
        }
    }

    private void RemoveMemberAndUpdate(GroupMember member)
    {
        RemoveMemberCore(member, ErrorCode.UnknownMemberId);
        switch (State)
        {
            case BrokerGroupState.Stable:
            case BrokerGroupState.CompletingRebalance:
                PrepareRebalance();
                break;
            case BrokerGroupState.PreparingRebalance:
                MaybeCompleteJoin();
                break;
            default:
                break;
        }
    }

    private sealed class SessionTimerState(ConsumerGroup group, GroupMember member)
    {
        public void Fire() => group.OnSessionTimer(member);
    }
}
