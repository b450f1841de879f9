using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers FindCoordinator with this broker (the coordinator of every group), using the identity Metadata advertises.</summary>
internal sealed class FindCoordinatorHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = FindCoordinatorRequest.Read(ref reader, context.ApiVersion);
        _ = request;
        return ValueTask.FromResult<Response?>(new FindCoordinatorResponse(ErrorCode.None, null, state.NodeId, state.AdvertisedHost, state.AdvertisedPort));
    }
}
