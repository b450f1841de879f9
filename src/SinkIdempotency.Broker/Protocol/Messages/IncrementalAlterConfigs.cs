using SinkIdempotency.Broker.Faults;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Protocol.Messages;

/// <summary>IncrementalAlterConfigs request (v0–1; v1 flexible): SET, DELETE, APPEND or SUBTRACT single configs.</summary>
internal sealed record IncrementalAlterConfigsRequest(IReadOnlyList<AlterConfigsResource> Resources, bool ValidateOnly) : KafkaRequest, IKafkaRequest<IncrementalAlterConfigsRequest>
{
    public const short FirstFlexible = 1;

    public override BrokerRequest Describe(BrokerRequest header) => header with { Topics = AlterConfigsResource.TopicNames(Resources) };

    public override Response ErrorResponse(ErrorCode error, BrokerState state) => AlterConfigsResponse.AllFailed(Resources, error, FirstFlexible);

    public static IncrementalAlterConfigsRequest Read(ref KafkaReader reader, short version) =>
        new(AlterConfigsResource.ReadAll(ref reader, version >= FirstFlexible, incremental: true), reader.ReadValidateOnly(version >= FirstFlexible));
}
