using System.Collections.Concurrent;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;

namespace SinkIdempotency.Broker.Groups;

/// <summary>
/// Owns every consumer group of the broker and routes the group APIs to them. Group creation and
/// deletion happen under one registry lock; everything else under the group's own lock.
/// </summary>
internal sealed class GroupCoordinator
{
    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly Lock _registry = new();
    private readonly Func<string, int, bool> _partitionExists;

    public GroupCoordinator(GroupCoordinatorOptions options, Func<string, int, bool>? partitionExists = null)
    {
        Options = options;
        _partitionExists = partitionExists ?? ((_, _) => true);
    }

    public GroupCoordinatorOptions Options { get; }

    public ConsumerGroup? Find(string groupId) => _groups.TryGetValue(groupId, out var group) ? group : null;

    public IReadOnlyList<ConsumerGroup> All() => _groups.Values.ToList();

    public Task<JoinGroupResponse> JoinGroupAsync(JoinGroupRequest request, short version, string clientId, string clientHost)
    {
        if (request.GroupId.Length == 0)
        {
            return Task.FromResult(JoinGroupResponse.Error(ErrorCode.InvalidGroupId, request.MemberId));
        }

        var session = TimeSpan.FromMilliseconds(request.SessionTimeoutMs);
        if (session < Options.MinSessionTimeout || session > Options.MaxSessionTimeout)
        {
            return Task.FromResult(JoinGroupResponse.Error(ErrorCode.InvalidSessionTimeout, request.MemberId));
        }

        ConsumerGroup group;
        if (request.MemberId.Length == 0)
        {
            group = GetOrCreate(request.GroupId);
        }
        else if (Find(request.GroupId) is { } existing)
        {
            group = existing;
        }
        else
        {
            return Task.FromResult(JoinGroupResponse.Error(ErrorCode.UnknownMemberId, request.MemberId));
        }

        return group.Join(request, version, clientId, clientHost);
    }

    public Task<SyncGroupResponse> SyncGroupAsync(SyncGroupRequest request) =>
        Find(request.GroupId) is { } group
            ? group.Sync(request)
            : Task.FromResult(SyncGroupResponse.Error(ErrorCode.UnknownMemberId));

    public HeartbeatResponse Heartbeat(HeartbeatRequest request) =>
        new(Find(request.GroupId) is { } group ? group.Heartbeat(request) : ErrorCode.UnknownMemberId);

    public LeaveGroupResponse LeaveGroup(LeaveGroupRequest request) =>
        new(Find(request.GroupId) is { } group ? group.Leave(request) : ErrorCode.UnknownMemberId);

    public OffsetCommitResponse CommitOffsets(OffsetCommitRequest request)
    {
        if (request.GroupId.Length == 0)
        {
            return OffsetCommitResponse.AllFailed(request, ErrorCode.InvalidGroupId);
        }

        var group = Find(request.GroupId);
        if (group is null)
        {
            if (request.GenerationId >= 0)
            {
                return OffsetCommitResponse.AllFailed(request, ErrorCode.IllegalGeneration);
            }

            // Kafka creates an Empty group with no protocol type to hold admin / simple-consumer offsets.
            group = GetOrCreate(request.GroupId);
        }

        return group.Commit(request, _partitionExists);
    }

    public OffsetFetchResponse FetchOffsets(OffsetFetchRequest request)
    {
        if (Find(request.GroupId) is { } group)
        {
            return group.FetchOffsets(request);
        }

        var topics = (request.Topics ?? [])
            .Select(t => new OffsetFetchResponseTopic(t.Name, t.PartitionIndexes.Select(ConsumerGroup.NoOffset).ToList()))
            .ToList();
        return new OffsetFetchResponse(topics, ErrorCode.None);
    }

    public ListGroupsResponse ListGroups() =>
        new(ErrorCode.None, _groups.Values.Select(g => g.ListEntry()).OfType<ListedGroup>().OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList());

    public DescribeGroupsResponse DescribeGroups(DescribeGroupsRequest request) =>
        new(request.Groups
            .Select(id => Find(id) is { } group
                ? group.Describe()
                : new DescribedGroup(ErrorCode.None, id, "Dead", string.Empty, string.Empty, [], DescribeGroupsResponse.AuthorizedOperationsOmitted))
            .ToList());

    public DeleteGroupsResponse DeleteGroups(DeleteGroupsRequest request)
    {
        var results = new List<DeleteGroupsResult>(request.GroupNames.Count);
        foreach (var id in request.GroupNames)
        {
            lock (_registry)
            {
                if (!_groups.TryGetValue(id, out var group))
                {
                    results.Add(new DeleteGroupsResult(id, ErrorCode.GroupIdNotFound));
                    continue;
                }

                var error = group.TryDelete();
                if (error == ErrorCode.None)
                {
                    _groups.TryRemove(id, out _);
                }

                results.Add(new DeleteGroupsResult(id, error));
            }
        }

        return new DeleteGroupsResponse(results);
    }

    public OffsetDeleteResponse DeleteOffsets(OffsetDeleteRequest request) =>
        Find(request.GroupId) is { } group
            ? group.DeleteOffsets(request)
            : new OffsetDeleteResponse(ErrorCode.GroupIdNotFound, []);

    /// <summary>Drops every group's committed offsets for a deleted topic (Kafka does this on DeleteTopics).</summary>
    public void RemoveTopic(string topic)
    {
        foreach (var group in _groups.Values)
        {
            group.RemoveTopic(topic);
        }
    }

    /// <summary>Stops every group's timers and answers parked requests (broker shutdown).</summary>
    public void Shutdown()
    {
        foreach (var group in _groups.Values)
        {
            group.Shutdown();
        }
    }

    private ConsumerGroup GetOrCreate(string groupId)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            return group;
        }

        lock (_registry)
        {
            return _groups.GetOrAdd(groupId, id => new ConsumerGroup(id, Options));
        }
    }
}
