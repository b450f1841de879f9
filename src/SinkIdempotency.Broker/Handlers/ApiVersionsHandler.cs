using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers ApiVersions with the APIs that have handlers (the client software name is not validated).</summary>
internal sealed class ApiVersionsHandler(ApiTable apis)
    : ApiHandler<ApiVersionsRequest>(ApiKey.ApiVersions, minVersion: 0, maxVersion: 3, firstFlexible: 3)
{
    protected override Response? Handle(ApiVersionsRequest request, RequestContext context) => new ApiVersionsResponse(ErrorCode.None, apis.Advertised);
}
