using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Lists every group the broker knows with its protocol type.</summary>
internal sealed class ListGroupsHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = ListGroupsRequest.Read(ref reader, context.ApiVersion);
        _ = request;
        return ValueTask.FromResult<Response?>(state.Groups.ListGroups());
    }
}
