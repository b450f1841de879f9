using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Deletes topics with their data; unknown names get UNKNOWN_TOPIC_OR_PARTITION.</summary>
internal sealed class DeleteTopicsHandler(BrokerState state)
    : ApiHandler<DeleteTopicsRequest>(ApiKey.DeleteTopics, minVersion: 0, maxVersion: 3, firstFlexible: 4)
{
    protected override Response? Handle(DeleteTopicsRequest request, RequestContext context)
    {
        var results = request.TopicNames.Select(name => (name, state.Topics.Delete(name))).ToList();
        return new DeleteTopicsResponse(results);
    }
}
