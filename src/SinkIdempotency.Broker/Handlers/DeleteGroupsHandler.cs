using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes empty groups together with their committed offsets.</summary>
internal sealed class DeleteGroupsHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = DeleteGroupsRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(state.Groups.DeleteGroups(request));
    }
}
