using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Hands an idempotent producer a fresh producer id with epoch 0; transactional ids are refused (no transactions).</summary>
internal sealed class InitProducerIdHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = InitProducerIdRequest.Read(ref reader, context.ApiVersion);
        Response response = request.TransactionalId is null
            ? new InitProducerIdResponse(ErrorCode.None, state.NextProducerId(), 0)
            : new InitProducerIdResponse(ErrorCode.TransactionalIdAuthorizationFailed, -1, -1);
        return ValueTask.FromResult<Response?>(response);
    }
}
