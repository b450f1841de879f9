using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Changes single topic configs (SET, DELETE back to the default, APPEND/SUBTRACT on list configs such as
/// <c>cleanup.policy</c>); <c>retention.ms</c>, <c>retention.bytes</c> and the segment configs govern the
/// next retention pass.
/// </summary>
internal sealed class IncrementalAlterConfigsHandler(BrokerState state)
    : ApiHandler<IncrementalAlterConfigsRequest>(ApiKey.IncrementalAlterConfigs, minVersion: 0, maxVersion: 1, firstFlexible: IncrementalAlterConfigsRequest.FirstFlexible)
{
    protected override Response? Handle(IncrementalAlterConfigsRequest request, RequestContext context) =>
        new AlterConfigsResponse(AlterConfigsHandler.Alter(state, request.Resources, replaceAll: false, request.ValidateOnly), IncrementalAlterConfigsRequest.FirstFlexible);
}
