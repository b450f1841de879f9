using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Stores a group's committed offsets after Kafka's generation and member checks.</summary>
internal sealed class OffsetCommitHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = OffsetCommitRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(state.Groups.CommitOffsets(request));
    }
}
