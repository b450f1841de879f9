using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes a group's committed offsets for topics it is not subscribed to.</summary>
internal sealed class OffsetDeleteHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = OffsetDeleteRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(state.Groups.DeleteOffsets(request));
    }
}
