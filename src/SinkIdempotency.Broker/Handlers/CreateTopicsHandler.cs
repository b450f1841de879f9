using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Creates (or, with ValidateOnly, only checks) topics; answers exactly the requested topics in order.</summary>
internal sealed class CreateTopicsHandler(BrokerState state)
    : ApiHandler<CreateTopicsRequest>(ApiKey.CreateTopics, minVersion: 0, maxVersion: 4, firstFlexible: 5)
{
    protected override Response? Handle(CreateTopicsRequest request, RequestContext context)
    {
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var results = new List<CreateTopicResult>(request.Topics.Count);
        foreach (var topic in request.Topics)
        {
            results.Add(Create(topic, request.ValidateOnly, duplicates.Contains(topic.Name)));
        }

        return new CreateTopicsResponse(results);
    }

    private CreateTopicResult Create(CreatableTopic topic, bool validateOnly, bool duplicate)
    {
        if (duplicate)
        {
            return new CreateTopicResult(topic.Name, ErrorCode.InvalidRequest, $"Create topics request from client contains a duplicate topic {topic.Name}.");
        }

        var partitions = topic.NumPartitions;
        if (topic.AssignedPartitions.Count > 0)
        {
            if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
            {
                return new CreateTopicResult(topic.Name, ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }

            partitions = topic.AssignedPartitions.Count;
        }

        var configs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in topic.Configs)
        {
            configs[name] = value;
        }

        var (error, message) = state.Topics.Create(topic.Name, partitions, topic.ReplicationFactor, configs, validateOnly);
        return new CreateTopicResult(topic.Name, error, message);
    }
}
