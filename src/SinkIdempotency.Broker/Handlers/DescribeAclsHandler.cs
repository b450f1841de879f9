using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Answers DescribeAcls as a Kafka broker without an authorizer does (<c>AclApis.handleDescribeAcls</c>):
/// SECURITY_DISABLED, "No Authorizer is configured on the broker", so a client can tell that ACLs are not
/// assessable here rather than that none exist.
/// </summary>
internal sealed class DescribeAclsHandler()
    : ApiHandler<DescribeAclsRequest>(ApiKey.DescribeAcls, minVersion: 0, maxVersion: 3, firstFlexible: DescribeAclsRequest.FirstFlexible)
{
    protected override Response? Handle(DescribeAclsRequest request, RequestContext context) =>
        new DescribeAclsResponse(ErrorCode.SecurityDisabled, "No Authorizer is configured on the broker");
}
