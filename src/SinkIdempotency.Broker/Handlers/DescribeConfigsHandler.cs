using System.Globalization;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Describes topic configs (every known config: explicit ones as DYNAMIC_TOPIC_CONFIG, the rest as
/// DEFAULT_CONFIG) and this broker's configs.
/// </summary>
internal sealed class DescribeConfigsHandler(BrokerState state)
    : ApiHandler<DescribeConfigsRequest>(ApiKey.DescribeConfigs, minVersion: 0, maxVersion: 1, firstFlexible: 4)
{
    protected override Response? Handle(DescribeConfigsRequest request, RequestContext context)
    {
        var results = request.Resources.Select(Describe).ToList();
        return new DescribeConfigsResponse(results, request.IncludeSynonyms);
    }

    private DescribeConfigsResult Describe(DescribeConfigsResource resource)
    {
        switch (resource.ResourceType)
        {
            case DescribeConfigsRequest.TopicResource:
                if (!state.Topics.TryGet(resource.ResourceName, out var topic))
                {
                    return new DescribeConfigsResult(ErrorCode.UnknownTopicOrPartition, $"Topic '{resource.ResourceName}' does not exist.", resource.ResourceType, resource.ResourceName, []);
                }

                var topicEntries = TopicConfigs.Defaults
                    .OrderBy(d => d.Key, StringComparer.Ordinal)
                    .Select(d => topic.Configs.TryGetValue(d.Key, out var set)
                        ? new DescribeConfigsEntry(d.Key, set, false, DescribeConfigsResponse.DynamicTopicConfig)
                        : new DescribeConfigsEntry(d.Key, d.Value, false, DescribeConfigsResponse.DefaultConfig));
                return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, Filter(topicEntries, resource.ConfigurationKeys));

            case DescribeConfigsRequest.BrokerResource:
                var nodeId = state.NodeId.ToString(CultureInfo.InvariantCulture);
                if (resource.ResourceName.Length > 0 && resource.ResourceName != nodeId)
                {
                    return new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {nodeId} or empty string, but received {resource.ResourceName}", resource.ResourceType, resource.ResourceName, []);
                }

                return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, Filter(BrokerEntries(nodeId), resource.ConfigurationKeys));

            default:
                return new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}; the embedded broker describes topics (2) and brokers (4).", resource.ResourceType, resource.ResourceName, []);
        }
    }

    private IEnumerable<DescribeConfigsEntry> BrokerEntries(string nodeId)
    {
        var options = state.Options;
        var listener = $"PLAINTEXT://{state.AdvertisedHost}:{state.AdvertisedPort}";
        const sbyte Static = DescribeConfigsResponse.StaticBrokerConfig;
        const sbyte Default = DescribeConfigsResponse.DefaultConfig;
        return
        [
            new("advertised.listeners", listener, true, Static),
            new("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false", true, Static),
            new("broker.id", nodeId, true, Static),
            new("default.replication.factor", "1", true, Default),
            new("listeners", listener, true, Static),
            new("log.retention.hours", "168", true, Default),
            new("message.max.bytes", TopicConfigs.DefaultMaxMessageBytes.ToString(CultureInfo.InvariantCulture), true, Default),
            new("min.insync.replicas", "1", true, Default),
            new("node.id", nodeId, true, Static),
            new("num.partitions", options.DefaultPartitions.ToString(CultureInfo.InvariantCulture), true, Static),
            new("offsets.topic.replication.factor", "1", true, Static),
            new("socket.request.max.bytes", options.MaxRequestBytes.ToString(CultureInfo.InvariantCulture), true, Static),
            new("transaction.state.log.replication.factor", "1", true, Static),
        ];
    }

    private static List<DescribeConfigsEntry> Filter(IEnumerable<DescribeConfigsEntry> entries, IReadOnlyList<string>? keys) =>
        keys is null || keys.Count == 0 ? [.. entries] : [.. entries.Where(e => keys.Contains(e.Name, StringComparer.Ordinal))];
}
