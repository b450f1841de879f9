using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

internal sealed partial class ConsumerGroup
{
    public Task<JoinGroupResponse> Join(JoinGroupRequest request, short version, string clientId, string clientHost)
    {
        lock (_sync)
        {
            if (State == BrokerGroupState.Dead)
            {
                return Done(JoinGroupResponse.Error(ErrorCode.CoordinatorNotAvailable, request.MemberId));
            }

            if (!IsProtocolCompatible(request.ProtocolType, request.Protocols))
            {
                return Done(JoinGroupResponse.Error(ErrorCode.InconsistentGroupProtocol, request.MemberId));
            }

            return request.MemberId.Length == 0
                ? JoinNewMember(request, version, clientId, clientHost)
                : JoinKnownMember(request, clientId, clientHost);
        }
    }

    private static Task<JoinGroupResponse> Done(JoinGroupResponse response) => Task.FromResult(response);

    private bool IsProtocolCompatible(string protocolType, IReadOnlyList<JoinGroupProtocol> protocols)
    {
        if (protocolType.Length == 0 || protocols.Count == 0)
        {
            return false;
        }

        if (_members.Count == 0)
        {
            return true;
        }

        return protocolType == ProtocolType
            && protocols.Any(p => _members.All(m => m.Protocols.Any(mp => mp.Name == p.Name)));
    }

    private Task<JoinGroupResponse> JoinNewMember(JoinGroupRequest request, short version, string clientId, string clientHost)
    {
        var memberId = $"{clientId}-{Guid.NewGuid()}";
        if (request.GroupInstanceId is not null)
        {
            // Simplification of KIP-345: a rejoining instance id replaces (fences) its previous member
            // and the group rebalances, instead of Kafka's "no rebalance when metadata is unchanged".
            var previous = _members.FirstOrDefault(m => m.GroupInstanceId == request.GroupInstanceId);
            if (previous is not null)
            {
                RemoveMemberCore(previous, ErrorCode.FencedInstanceId);
            }

            return AddMemberAndRebalance(new GroupMember(memberId, request.GroupInstanceId, clientId, clientHost), request);
        }

        if (version >= 4)
        {
            // KIP-394: hand out the id first; the member becomes real when it rejoins with it.
            var sessionTimeout = TimeSpan.FromMilliseconds(request.SessionTimeoutMs);
            _pendingMembers[memberId] = StartTimer(sessionTimeout, () => OnPendingMemberExpired(memberId));
            return Done(JoinGroupResponse.Error(ErrorCode.MemberIdRequired, memberId));
        }

        return AddMemberAndRebalance(new GroupMember(memberId, null, clientId, clientHost), request);
    }

    private Task<JoinGroupResponse> JoinKnownMember(JoinGroupRequest request, string clientId, string clientHost)
    {
        if (_pendingMembers.Remove(request.MemberId, out var pendingTimer))
        {
            pendingTimer.Dispose();
            return AddMemberAndRebalance(new GroupMember(request.MemberId, request.GroupInstanceId, clientId, clientHost), request);
        }

        var member = Find(request.MemberId);
        if (member is null)
        {
            return Done(JoinGroupResponse.Error(ErrorCode.UnknownMemberId, request.MemberId));
        }

        if (member.GroupInstanceId != request.GroupInstanceId)
        {
            return Done(JoinGroupResponse.Error(ErrorCode.FencedInstanceId, request.MemberId));
        }

        switch (State)
        {
            case BrokerGroupState.PreparingRebalance:
                {
                    var task = UpdateMember(member, request, clientId, clientHost);
                    MaybeCompleteJoin();
                    return task;
                }

            case BrokerGroupState.CompletingRebalance:
                if (member.SameProtocols(request.Protocols))
                {
                    return Done(CurrentGenerationResponse(member));
                }

                {
                    var task = UpdateMember(member, request, clientId, clientHost);
                    PrepareRebalance();
                    return task;
                }

            case BrokerGroupState.Stable:
                if (member.MemberId != LeaderId && member.SameProtocols(request.Protocols))
                {
                    ResetSession(member);
                    return Done(CurrentGenerationResponse(member));
                }

                {
                    var task = UpdateMember(member, request, clientId, clientHost);
                    PrepareRebalance();
                    return task;
                }

            default:
                return Done(JoinGroupResponse.Error(ErrorCode.UnknownMemberId, request.MemberId));
        }
    }

    private Task<JoinGroupResponse> AddMemberAndRebalance(GroupMember member, JoinGroupRequest request)
    {
        if (_members.Count == 0)
        {
            ProtocolType = request.ProtocolType;
        }

        member.IsNew = true;
        _members.Add(member);
        LeaderId ??= member.MemberId;
        _newMemberAdded = true;
        var task = UpdateMember(member, request, member.ClientId, member.ClientHost);
        ResetSession(member);
        if (State == BrokerGroupState.PreparingRebalance)
        {
            MaybeCompleteJoin();
        }
        else
        {
            PrepareRebalance();
        }

        return task;
    }

    private Task<JoinGroupResponse> UpdateMember(GroupMember member, JoinGroupRequest request, string clientId, string clientHost)
    {
        member.ClientId = clientId;
        member.ClientHost = clientHost;
        member.Protocols = request.Protocols;
        member.SessionTimeout = TimeSpan.FromMilliseconds(request.SessionTimeoutMs);
        member.RebalanceTimeout = TimeSpan.FromMilliseconds(Math.Max(request.RebalanceTimeoutMs, 0));
        member.AwaitingJoin?.TrySetResult(JoinGroupResponse.Error(ErrorCode.RebalanceInProgress, member.MemberId));
        member.AwaitingJoin = new TaskCompletionSource<JoinGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        return member.AwaitingJoin.Task;
    }

    private JoinGroupResponse CurrentGenerationResponse(GroupMember member) =>
        new(ErrorCode.None, GenerationId, ProtocolName ?? string.Empty, LeaderId ?? string.Empty, member.MemberId, member.MemberId == LeaderId ? LeaderView() : []);

    private List<JoinGroupResponseMember> LeaderView() =>
        _members.Select(m => new JoinGroupResponseMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName!) ?? [])).ToList();

    private void PrepareRebalance()
    {
        if (State == BrokerGroupState.CompletingRebalance)
        {
            foreach (var member in _members)
            {
                member.Assignment = [];
                member.AwaitingSync?.TrySetResult(SyncGroupResponse.Error(ErrorCode.RebalanceInProgress));
                member.AwaitingSync = null;
            }
        }

        CancelSyncTimer();
        _pendingSync.Clear();
        CancelJoinTimer();
        var wasEmpty = State == BrokerGroupState.Empty;
        State = BrokerGroupState.PreparingRebalance;
        if (wasEmpty && _options.InitialRebalanceDelay > TimeSpan.Zero)
        {
            // group.initial.rebalance.delay.ms: wait for more members before the first generation,
            // extending while new members keep arriving, bounded by the rebalance timeout.
            _inInitialDelay = true;
            _newMemberAdded = false;
            var timeout = MaxRebalanceTimeout();
            var delay = Min(_options.InitialRebalanceDelay, timeout);
            _initialDelayRemaining = timeout - delay;
            _joinTimer = StartJoinTimer(delay, OnInitialDelayExpired);
            return;
        }

        _inInitialDelay = false;
        _joinTimer = StartJoinTimer(MaxRebalanceTimeout(), OnRebalanceTimeout);
        MaybeCompleteJoin();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void OnInitialDelayExpired(int epoch)
    {
        lock (_sync)
        {
            if (epoch != _joinEpoch || State != BrokerGroupState.PreparingRebalance || !_inInitialDelay)
            {
                return;
            }

            if (_newMemberAdded && _initialDelayRemaining > TimeSpan.Zero)
            {
                _newMemberAdded = false;
                var delay = Min(_options.InitialRebalanceDelay, _initialDelayRemaining);
                _initialDelayRemaining -= delay;
                _joinTimer?.Dispose();
                _joinTimer = StartJoinTimer(delay, OnInitialDelayExpired);
                return;
            }

            CompleteJoin();
        }
    }

    private void OnRebalanceTimeout(int epoch)
    {
        lock (_sync)
        {
            if (epoch == _joinEpoch && State == BrokerGroupState.PreparingRebalance && !_inInitialDelay)
            {
                CompleteJoin();
            }
        }
    }

    private void OnPendingMemberExpired(string memberId)
    {
        lock (_sync)
        {
            if (_pendingMembers.Remove(memberId, out var timer))
            {
                timer.Dispose();
                MaybeCompleteJoin();
            }
        }
    }

    private void MaybeCompleteJoin()
    {
        if (State == BrokerGroupState.PreparingRebalance
            && !_inInitialDelay
            && _pendingMembers.Count == 0
            && _members.All(m => m.AwaitingJoin is not null))
        {
            CompleteJoin();
        }
    }

    private void CompleteJoin()
    {
        CancelJoinTimer();
        _inInitialDelay = false;
        foreach (var member in _members.Where(m => m.AwaitingJoin is null).ToList())
        {
            RemoveMemberCore(member, ErrorCode.UnknownMemberId);
        }

        GenerationId++;
        if (_members.Count == 0)
        {
            ProtocolName = null;
            LeaderId = null;
            State = BrokerGroupState.Empty;
            return;
        }

        ProtocolName = SelectProtocol();
        if (LeaderId is null || Find(LeaderId) is null)
        {
            LeaderId = _members[0].MemberId;
        }

        State = BrokerGroupState.CompletingRebalance;
        foreach (var member in _members)
        {
            _pendingSync.Add(member.MemberId);
            var answer = member.AwaitingJoin!;
            member.AwaitingJoin = null;
            member.IsNew = false;
            ResetSession(member);
            answer.TrySetResult(CurrentGenerationResponse(member));
        }

        _syncTimer = StartSyncTimer(MaxRebalanceTimeout(), OnSyncTimeout);
    }

    private string SelectProtocol()
    {
        var leader = (LeaderId is null ? null : Find(LeaderId)) ?? _members[0];
        var candidates = leader.Protocols
            .Select(p => p.Name)
            .Where(name => _members.All(m => m.Protocols.Any(mp => mp.Name == name)))
            .ToList();
        var votes = candidates.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        foreach (var member in _members)
        {
            var choice = member.Protocols.First(p => votes.ContainsKey(p.Name)).Name;
            votes[choice]++;
        }

        if (votes.Count == 0)
        {
            return leader.Protocols[0].Name;
        }

        var best = votes.Values.Max();
        return candidates.First(c => votes[c] == best);
    }
}
