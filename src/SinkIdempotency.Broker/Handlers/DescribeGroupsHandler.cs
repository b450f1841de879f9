using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Describes groups: state, protocol, members and (when Stable) their metadata and assignments.</summary>
internal sealed class DescribeGroupsHandler(BrokerState state) : IRequestHandler
{
    public ValueTask<Response?> HandleAsync(RequestContext context)
    {
        var reader = new KafkaReader(context.Body.Span);
        var request = DescribeGroupsRequest.Read(ref reader, context.ApiVersion);
        return ValueTask.FromResult<Response?>(state.Groups.DescribeGroups(request));
    }
}
