using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes topics with their data; unknown names get UNKNOWN_TOPIC_OR_PARTITION.</summary>
internal sealed class DeleteTopicsHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = DeleteTopicsRequest.Read(ref reader, context.ApiVersion);
        var results = request.TopicNames.Select(name => (name, state.Topics.Delete(name))).ToList();
        return ValueTask.FromResult<Response?>(new DeleteTopicsResponse(results));
    }
}
