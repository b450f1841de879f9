using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers FindCoordinator with this broker (the coordinator of every group), using the identity Metadata advertises.</summary>
internal sealed class FindCoordinatorHandler(BrokerState state)
    : ApiHandler<FindCoordinatorRequest>(ApiKey.FindCoordinator, minVersion: 0, maxVersion: 2, firstFlexible: 3)
{
    protected override Response? Handle(FindCoordinatorRequest request, RequestContext context) => new FindCoordinatorResponse(ErrorCode.None, null, state.NodeId, state.AdvertisedHost, state.AdvertisedPort);
}
