using System.Globalization;
using SinkIdempotency.Kafka;

namespace SinkIdempotency.Scenarios;

/// <summary>Tells, sample by sample, when a consumer group's members or assignment change, and whether a harness action explains the change.</summary>
/// <remarks>
/// Every harness action (the deployment, each fault action) opens an expectation: changes seen while it is open are the
/// harness's. It closes once the group has settled again — every partition owned and the members unchanged for
/// <see cref="SettledSamples"/> samples — after either a change was seen or the grace period passed (a kill changes the
/// group only when the dead member's session expires; an action that does not touch the group never changes it). A
/// change seen while no expectation is open is unplanned: nothing the scenario did explains it.
/// </remarks>
/// <param name="grace">How long an action that changed nothing yet keeps explaining changes.</param>
/// <param name="partitions">The number of partitions the group must own to count as settled.</param>
internal sealed class RebalanceWatch(TimeSpan grace, int partitions)
{
    /// <summary>The number of unchanged samples, with every partition owned, after which the group counts as settled.</summary>
    public const int SettledSamples = 3;

    private IReadOnlyDictionary<string, string>? _last;
    private string? _expected;
    private DateTimeOffset _expectedSince;
    private bool _changedSinceAction;
    private int _unchanged;

    /// <summary>Gets the harness action changes are attributed to now, or <see langword="null"/> when the group has settled since the last one.</summary>
    public string? Expected => _expected;

    /// <summary>Notes a harness action that may move the group's members.</summary>
    /// <param name="at">When it happened.</param>
    /// <param name="description">What it was, for example <c>deploy</c> or <c>fault kill-worker</c>.</param>
    public void OnHarnessAction(DateTimeOffset at, string description)
    {
        _expected = description;
        _expectedSince = at;
        _changedSinceAction = false;
        _unchanged = 0;
    }

    /// <summary>Compares the group's members with the previous sample.</summary>
    /// <param name="at">When the members were read.</param>
    /// <param name="members">The members.</param>
    /// <returns>The change, with whether it is planned; <see langword="null"/> when nothing changed (or on the first sample).</returns>
    public RebalanceChange? Observe(DateTimeOffset at, IReadOnlyList<ConsumerGroupMember> members)
    {
        var current = Describe(members);
        var owned = members.SelectMany(m => m.Partitions).Distinct().Count() >= partitions;
        if (_last is null)
        {
            // A group first seen complete has already made the change the action (the deployment) asked for.
            _last = current;
            _changedSinceAction |= owned;
            return null;
        }

        if (SameMembers(_last, current))
        {
            _unchanged++;
            if (_expected is not null && owned && _unchanged >= SettledSamples && (_changedSinceAction || at - _expectedSince >= grace))
            {
                _expected = null;
            }

            return null;
        }

        var change = new RebalanceChange(_last, current, _expected is not null, _expected);
        _changedSinceAction |= _expected is not null;
        _last = current;
        _unchanged = 0;
        return change;
    }

    /// <summary>Describes members as member id → <c>client id@host: topic-partition, …</c>.</summary>
    public static IReadOnlyDictionary<string, string> Describe(IReadOnlyList<ConsumerGroupMember> members) =>
        members.ToDictionary(
            m => m.MemberId,
            m => string.Create(CultureInfo.InvariantCulture, $"{m.ClientId}@{m.Host}: {string.Join(", ", m.Partitions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition).Select(p => $"{p.Topic}-{p.Partition}"))}"),
            StringComparer.Ordinal);

    private static bool SameMembers(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Count == after.Count && before.All(m => after.TryGetValue(m.Key, out var value) && value == m.Value);
}
