using SinkIdempotency.Broker.Faults;

namespace SinkIdempotency.Broker;

/// <summary>The fault-injection surface, modelled on franz-go's kfake controls.</summary>
public sealed partial class KafkaBroker
{
    /// <summary>Injects a fault that acts on the requests <paramref name="options"/> matches.</summary>
    /// <param name="options">What to match, what to do and how often.</param>
    /// <returns>A handle that counts matches, releases held requests and removes the fault when disposed.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <example>
    /// <code>
    /// using var fault = broker.InjectFault(new BrokerFaultOptions
    /// {
    ///     ApiKey = ApiKey.OffsetCommit,
    ///     GroupId = "connect-x",
    ///     Error = ErrorCode.RebalanceInProgress,
    /// });
    /// </code>
    /// </example>
    public BrokerFault InjectFault(BrokerFaultOptions options) => _state.Faults.Add(options);

    /// <summary>Calls <paramref name="observer"/> for every finished request/response exchange, on the broker's connection threads.</summary>
    /// <param name="observer">The callback; it must be quick and thread-safe, and its exceptions are logged and ignored.</param>
    /// <returns>A subscription; dispose it to stop observing.</returns>
    public IDisposable ObserveRequests(Action<BrokerExchange> observer) => _state.Faults.AddObserver(observer);

    /// <summary>Removes a group member now, as if its session had timed out; the group rebalances without it.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="memberId">The member id.</param>
    /// <returns>True when the member existed and was removed.</returns>
    public bool ExpireGroupMember(string groupId, string memberId) =>
        _state.Groups.Find(groupId)?.ExpireMember(memberId) ?? false;

    /// <summary>Removes now every member of a group whose requests carry <paramref name="clientId"/>, as if their sessions had timed out.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="clientId">The client id (Confluent.Kafka's <c>ClientId</c>, <c>rdkafka</c> by default).</param>
    /// <returns>How many members were removed.</returns>
    public int ExpireGroupMembersOf(string groupId, string clientId)
    {
        if (_state.Groups.Find(groupId) is not { } group)
        {
            return 0;
        }

        var removed = 0;
        foreach (var member in group.Snapshot().Members.Where(m => m.ClientId == clientId))
        {
            if (group.ExpireMember(member.MemberId))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Closes, without answering their pending requests, every connection whose requests carry <paramref name="clientId"/>.</summary>
    /// <param name="clientId">The client id.</param>
    /// <returns>How many connections were closed.</returns>
    /// <remarks>The client usually reconnects; to keep it away, also inject a sticky <see cref="BrokerFaultAction.DropConnection"/> fault for its client id.</remarks>
    public int CloseClientConnections(string clientId)
    {
        if (_server is not { } server)
        {
            return 0;
        }

        return server.CloseConnections(_state.ClientConnections.ConnectionsOf(clientId));
    }
}
