using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

internal sealed partial class ConsumerGroup
{
    public Task<SyncGroupResponse> Sync(SyncGroupRequest request)
    {
        lock (_sync)
        {
            var error = ValidateMember(request.MemberId, request.GroupInstanceId, request.GenerationId);
            if (error != ErrorCode.None)
            {
                return Task.FromResult(SyncGroupResponse.Error(error));
            }

            var member = Find(request.MemberId)!;
            switch (State)
            {
                case BrokerGroupState.PreparingRebalance:
                    return Task.FromResult(SyncGroupResponse.Error(ErrorCode.RebalanceInProgress));

                case BrokerGroupState.CompletingRebalance:
                    {
                        _pendingSync.Remove(member.MemberId);
                        member.AwaitingSync?.TrySetResult(SyncGroupResponse.Error(ErrorCode.RebalanceInProgress));
                        member.AwaitingSync = new TaskCompletionSource<SyncGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                        var task = member.AwaitingSync.Task;
                        ResetSession(member);
                        if (member.MemberId == LeaderId)
                        {
                            CompleteSync(request.Assignments);
                        }

                        return task;
                    }

                case BrokerGroupState.Stable:
                    _pendingSync.Remove(member.MemberId);
                    if (_pendingSync.Count == 0)
                    {
                        CancelSyncTimer();
                    }

                    ResetSession(member);
                    return Task.FromResult(new SyncGroupResponse(ErrorCode.None, member.Assignment));

                default:
                    return Task.FromResult(SyncGroupResponse.Error(ErrorCode.UnknownMemberId));
            }
        }
    }

    public ErrorCode Heartbeat(HeartbeatRequest request)
    {
        lock (_sync)
        {
            var error = ValidateMember(request.MemberId, request.GroupInstanceId, request.GenerationId);
            if (error != ErrorCode.None)
            {
                return error;
            }

            ResetSession(Find(request.MemberId)!);
            return State == BrokerGroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    public ErrorCode Leave(LeaveGroupRequest request)
    {
        lock (_sync)
        {
            if (State == BrokerGroupState.Dead)
            {
                return ErrorCode.CoordinatorNotAvailable;
            }

            if (_pendingMembers.Remove(request.MemberId, out var timer))
            {
                timer.Dispose();
                MaybeCompleteJoin();
                return ErrorCode.None;
            }

            var member = Find(request.MemberId);
            if (member is null)
            {
                return ErrorCode.UnknownMemberId;
            }

            RemoveMemberAndUpdate(member);
            return ErrorCode.None;
        }
    }

    /// <summary>Checks membership, static-instance fencing and generation, in Kafka's order.</summary>
    private ErrorCode ValidateMember(string memberId, string? instanceId, int generationId)
    {
        if (State == BrokerGroupState.Dead)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        var member = Find(memberId);
        if (member is null)
        {
            if (instanceId is not null && _members.Any(m => m.GroupInstanceId == instanceId))
            {
                return ErrorCode.FencedInstanceId;
            }

            return ErrorCode.UnknownMemberId;
        }

        if (instanceId is not null && member.GroupInstanceId != instanceId)
        {
            return ErrorCode.FencedInstanceId;
        }

        return generationId != GenerationId ? ErrorCode.IllegalGeneration : ErrorCode.None;
    }

    private void CompleteSync(IReadOnlyList<SyncGroupAssignment> assignments)
    {
        foreach (var member in _members)
        {
            member.Assignment = assignments.FirstOrDefault(a => a.MemberId == member.MemberId)?.Assignment ?? [];
        }

        State = BrokerGroupState.Stable;
        foreach (var member in _members)
        {
            member.AwaitingSync?.TrySetResult(new SyncGroupResponse(ErrorCode.None, member.Assignment));
            member.AwaitingSync = null;
        }

        if (_pendingSync.Count == 0)
        {
            CancelSyncTimer();
        }
    }

    private void OnSyncTimeout(int epoch)
    {
        lock (_sync)
        {
            if (epoch != _syncEpoch
                || (State != BrokerGroupState.CompletingRebalance && State != BrokerGroupState.Stable)
                || _pendingSync.Count == 0)
            {
                return;
            }

            // Members that never sent SyncGroup for this generation are removed and the group
            // rebalances without them (Kafka's pending-sync expiry).
            foreach (var member in _members.Where(m => _pendingSync.Contains(m.MemberId)).ToList())
            {
                RemoveMemberCore(member, ErrorCode.UnknownMemberId);
            }

            PrepareRebalance();
        }
    }
}
