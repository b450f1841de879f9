using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Stores a group's committed offsets after Kafka's generation and member checks.</summary>
internal sealed class OffsetCommitHandler(BrokerState state)
    : ApiHandler<OffsetCommitRequest>(ApiKey.OffsetCommit, minVersion: 2, maxVersion: 7, firstFlexible: 8)
{
    protected override Response? Handle(OffsetCommitRequest request, RequestContext context) => state.Groups.CommitOffsets(request);
}
