using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Keeps a member's session alive and tells it when the group rebalances.</summary>
internal sealed class HeartbeatHandler(BrokerState state)
    : ApiHandler<HeartbeatRequest>(ApiKey.Heartbeat, minVersion: 0, maxVersion: 3, firstFlexible: 4)
{
    protected override Response? Handle(HeartbeatRequest request, RequestContext context) => state.Groups.Heartbeat(request);
}
