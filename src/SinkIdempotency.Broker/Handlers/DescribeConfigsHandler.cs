using System.Globalization;
using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>
/// Describes topic configs as Kafka's <c>ConfigHelper</c> does — every known config, with the source of its
/// value (TOPIC_CONFIG, STATIC_BROKER_CONFIG from the options, or DEFAULT_CONFIG) and, when asked, its
/// synonyms in precedence order — and this broker's configs.
/// </summary>
internal sealed class DescribeConfigsHandler(BrokerState state)
    : ApiHandler<DescribeConfigsRequest>(ApiKey.DescribeConfigs, minVersion: 0, maxVersion: 4, firstFlexible: DescribeConfigsRequest.FirstFlexible)
{
    private static readonly HashSet<string> IntConfigs = new(StringComparer.Ordinal)
    {
        TopicConfigs.MaxMessageBytes, TopicConfigs.SegmentBytes, "segment.index.bytes", "index.interval.bytes", "min.insync.replicas",
        "compression.gzip.level", "compression.lz4.level", "compression.zstd.level",
    };

    protected override Response? Handle(DescribeConfigsRequest request, RequestContext context) =>
        new DescribeConfigsResponse([.. request.Resources.Select(r => Describe(r, request.IncludeSynonyms))]);

    private DescribeConfigsResult Describe(DescribeConfigsResource resource, bool includeSynonyms)
    {
        switch (resource.ResourceType)
        {
            case DescribeConfigsRequest.TopicResource:
                if (!state.Topics.TryGet(resource.ResourceName, out var topic))
                {
                    return new DescribeConfigsResult(ErrorCode.UnknownTopicOrPartition, $"Topic '{resource.ResourceName}' does not exist.", resource.ResourceType, resource.ResourceName, []);
                }

                var config = topic.Config;
                var topicEntries = TopicConfigs.Defaults.Keys
                    .Order(StringComparer.Ordinal)
                    .Select(name =>
                    {
                        var (value, source, synonyms) = config.Describe(name);
                        return new DescribeConfigsEntry(name, value, false, source, includeSynonyms ? synonyms : [], TypeOf(name));
                    });
                return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, Filter(topicEntries, resource.ConfigurationKeys));

            case DescribeConfigsRequest.BrokerResource:
                var nodeId = state.NodeId.ToString(CultureInfo.InvariantCulture);
                if (resource.ResourceName.Length > 0 && resource.ResourceName != nodeId)
                {
                    return new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {nodeId} or empty string, but received {resource.ResourceName}", resource.ResourceType, resource.ResourceName, []);
                }

                return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, Filter(BrokerEntries(nodeId, includeSynonyms), resource.ConfigurationKeys));

            default:
                return new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}; the embedded broker describes topics (2) and brokers (4).", resource.ResourceType, resource.ResourceName, []);
        }
    }

    private IEnumerable<DescribeConfigsEntry> BrokerEntries(string nodeId, bool includeSynonyms)
    {
        var options = state.Options;
        var listener = $"PLAINTEXT://{state.AdvertisedHost}:{state.AdvertisedPort}";
        var logConfigs = options.StaticLogConfigs();
        const ConfigSource Static = ConfigSource.StaticBrokerConfig;
        const ConfigSource Default = ConfigSource.DefaultConfig;

        DescribeConfigsEntry Entry(string name, string? value, ConfigSource source, ConfigType type) =>
            new(name, value, true, source, includeSynonyms ? [(name, value, source)] : [], type);

        DescribeConfigsEntry LogEntry(string name, string? kafkaDefault, ConfigType type) =>
            logConfigs.TryGetValue(name, out var set) ? Entry(name, set, Static, type) : Entry(name, kafkaDefault, Default, type);

        var retentionCheck = options.RetentionCheckInterval == Timeout.InfiniteTimeSpan ? "-1" : ((long)options.RetentionCheckInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return
        [
            Entry("advertised.listeners", listener, Static, ConfigType.String),
            Entry("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false", Static, ConfigType.Boolean),
            Entry("broker.id", nodeId, Static, ConfigType.Int),
            Entry("default.replication.factor", "1", Default, ConfigType.Int),
            Entry("listeners", listener, Static, ConfigType.String),
            Entry("log.cleanup.policy", "delete", Default, ConfigType.List),
            LogEntry("log.retention.bytes", "-1", ConfigType.Long),
            Entry("log.retention.check.interval.ms", retentionCheck, options.RetentionCheckInterval == TimeSpan.FromMinutes(5) ? Default : Static, ConfigType.Long),
            Entry("log.retention.hours", "168", Default, ConfigType.Int),
            LogEntry("log.retention.ms", null, ConfigType.Long),
            Entry("log.roll.hours", "168", Default, ConfigType.Int),
            LogEntry("log.roll.ms", null, ConfigType.Long),
            LogEntry("log.segment.bytes", "1073741824", ConfigType.Int),
            Entry("message.max.bytes", TopicConfigs.DefaultMaxMessageBytes.ToString(CultureInfo.InvariantCulture), Default, ConfigType.Int),
            Entry("min.insync.replicas", "1", Default, ConfigType.Int),
            Entry("node.id", nodeId, Static, ConfigType.Int),
            Entry("num.partitions", options.DefaultPartitions.ToString(CultureInfo.InvariantCulture), Static, ConfigType.Int),
            Entry("offsets.topic.replication.factor", "1", Static, ConfigType.Short),
            Entry("socket.request.max.bytes", options.MaxRequestBytes.ToString(CultureInfo.InvariantCulture), Static, ConfigType.Int),
            Entry("transaction.state.log.replication.factor", "1", Static, ConfigType.Short),
        ];
    }

    private static ConfigType TypeOf(string name) =>
        TopicConfigs.ListConfigs.Contains(name) ? ConfigType.List
        : IntConfigs.Contains(name) ? ConfigType.Int
        : TopicConfigs.Defaults[name] is "true" or "false" ? ConfigType.Boolean
        : name == "min.cleanable.dirty.ratio" ? ConfigType.Double
        : long.TryParse(TopicConfigs.Defaults[name], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? ConfigType.Long
        : ConfigType.String;

    private static List<DescribeConfigsEntry> Filter(IEnumerable<DescribeConfigsEntry> entries, IReadOnlyList<string>? keys) =>
        keys is null || keys.Count == 0 ? [.. entries] : [.. entries.Where(e => keys.Contains(e.Name, StringComparer.Ordinal))];
}
