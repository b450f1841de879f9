using SinkIdempotency.Broker.Groups;

namespace SinkIdempotency.Broker;

/// <summary>Consumer-group inspection for tests.</summary>
public sealed partial class KafkaBroker
{
    /// <summary>Returns a snapshot of every consumer group the broker knows, ordered by group id.</summary>
    /// <returns>The groups (deleted groups are not listed).</returns>
    public IReadOnlyList<ConsumerGroupSnapshot> GetGroups() =>
        [.. _state.Groups.All().Select(g => g.Snapshot()).Where(g => g.State != BrokerGroupState.Dead).OrderBy(g => g.GroupId, StringComparer.Ordinal)];

    /// <summary>Returns a snapshot of one consumer group, or null when the broker does not know it.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The group, or null.</returns>
    public ConsumerGroupSnapshot? GetGroup(string groupId) => _state.Groups.Find(groupId)?.Snapshot();

    /// <summary>Returns the offsets a group has committed, ordered by topic and partition.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The committed offsets; empty when the group is unknown.</returns>
    public IReadOnlyList<CommittedOffset> GetCommittedOffsets(string groupId) =>
        _state.Groups.Find(groupId)?.CommittedOffsets() ?? [];

    /// <summary>Returns the offset a group committed for one partition, or null when it committed none.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="topic">The topic name.</param>
    /// <param name="partition">The partition index.</param>
    /// <returns>The committed offset, or null.</returns>
    public CommittedOffset? GetCommittedOffset(string groupId, string topic, int partition) =>
        GetCommittedOffsets(groupId).FirstOrDefault(o => o.Topic == topic && o.Partition == partition);
}
