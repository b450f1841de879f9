using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Describes groups: state, protocol, members and (when Stable) their metadata and assignments.</summary>
internal sealed class DescribeGroupsHandler(BrokerState state)
    : ApiHandler<DescribeGroupsRequest>(ApiKey.DescribeGroups, minVersion: 0, maxVersion: 4, firstFlexible: 5)
{
    protected override Response? Handle(DescribeGroupsRequest request, RequestContext context) => state.Groups.DescribeGroups(request);
}
