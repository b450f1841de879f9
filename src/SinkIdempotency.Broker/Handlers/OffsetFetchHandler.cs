using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Returns a group's committed offsets (-1 where there are none).</summary>
internal sealed class OffsetFetchHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = OffsetFetchRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(state.Groups.FetchOffsets(request));
    }
}
