using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes a group's committed offsets for topics it is not subscribed to.</summary>
internal sealed class OffsetDeleteHandler(BrokerState state)
    : ApiHandler<OffsetDeleteRequest>(ApiKey.OffsetDelete, minVersion: 0, maxVersion: 0, firstFlexible: ApiVersionRange.NeverFlexible)
{
    protected override Response? Handle(OffsetDeleteRequest request, RequestContext context) => state.Groups.DeleteOffsets(request);
}
