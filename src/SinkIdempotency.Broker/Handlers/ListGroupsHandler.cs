using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Lists every group the broker knows with its protocol type.</summary>
internal sealed class ListGroupsHandler(BrokerState state)
    : ApiHandler<ListGroupsRequest>(ApiKey.ListGroups, minVersion: 0, maxVersion: 2, firstFlexible: 3)
{
    protected override Response? Handle(ListGroupsRequest request, RequestContext context) => state.Groups.ListGroups();
}
