using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes empty groups together with their committed offsets.</summary>
internal sealed class DeleteGroupsHandler(BrokerState state)
    : ApiHandler<DeleteGroupsRequest>(ApiKey.DeleteGroups, minVersion: 0, maxVersion: 1, firstFlexible: 2)
{
    protected override Response? Handle(DeleteGroupsRequest request, RequestContext context) => state.Groups.DeleteGroups(request);
}
