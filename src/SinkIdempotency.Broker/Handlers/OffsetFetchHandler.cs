using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Returns a group's committed offsets (-1 where there are none).</summary>
internal sealed class OffsetFetchHandler(BrokerState state)
    : ApiHandler<OffsetFetchRequest>(ApiKey.OffsetFetch, minVersion: 1, maxVersion: 5, firstFlexible: 6)
{
    protected override Response? Handle(OffsetFetchRequest request, RequestContext context) => state.Groups.FetchOffsets(request);
}
