using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Replaces topics' config overrides (the legacy AlterConfigs: configs left out return to their defaults).</summary>
internal sealed class AlterConfigsHandler(BrokerState state)
    : ApiHandler<AlterConfigsRequest>(ApiKey.AlterConfigs, minVersion: 0, maxVersion: 2, firstFlexible: AlterConfigsRequest.FirstFlexible)
{
    protected override Response? Handle(AlterConfigsRequest request, RequestContext context) =>
        new AlterConfigsResponse(Alter(state, request.Resources, replaceAll: true, request.ValidateOnly), AlterConfigsRequest.FirstFlexible);

    /// <summary>Applies each resource's changes (shared with IncrementalAlterConfigs); a resource named twice fails as in Kafka.</summary>
    internal static List<AlterConfigsResult> Alter(BrokerState state, IReadOnlyList<AlterConfigsResource> resources, bool replaceAll, bool validateOnly)
    {
        var duplicates = resources.GroupBy(r => (r.ResourceType, r.ResourceName)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. resources.Select(resource =>
        {
            var (error, message) = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? (ErrorCode.InvalidRequest, $"Error due to duplicate resource {resource.ResourceName} of type {resource.ResourceType}")
                : resource.ResourceType switch
                {
                    AlterConfigsResource.TopicResource => state.Topics.AlterConfigs(resource.ResourceName, resource.Configs, replaceAll, validateOnly),
                    DescribeConfigsRequest.BrokerResource => (ErrorCode.InvalidConfig, "The embedded broker's own configs are fixed by KafkaBrokerOptions; alter topic configs instead."),
                    _ => (ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}; the embedded broker alters topic (2) configs."),
                };
            return new AlterConfigsResult(error, message, resource.ResourceType, resource.ResourceName);
        })];
    }
}
