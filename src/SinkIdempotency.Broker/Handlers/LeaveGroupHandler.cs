using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Removes a member from its group, which then rebalances.</summary>
internal sealed class LeaveGroupHandler(BrokerState state)
    : ApiHandler<LeaveGroupRequest>(ApiKey.LeaveGroup, minVersion: 0, maxVersion: 1, firstFlexible: 4)
{
    protected override Response? Handle(LeaveGroupRequest request, RequestContext context) => state.Groups.LeaveGroup(request);
}
