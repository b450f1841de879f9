using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Hands an idempotent producer a fresh producer id with epoch 0; transactional ids are refused (no transactions).</summary>
internal sealed class InitProducerIdHandler(BrokerState state)
    : ApiHandler<InitProducerIdRequest>(ApiKey.InitProducerId, minVersion: 0, maxVersion: 1, firstFlexible: 2)
{
    protected override Response? Handle(InitProducerIdRequest request, RequestContext context)
    {
        Response response = request.TransactionalId is null
            ? new InitProducerIdResponse(ErrorCode.None, state.NextProducerId(), 0)
            : new InitProducerIdResponse(ErrorCode.TransactionalIdAuthorizationFailed, -1, -1);
        return response;
    }
}
