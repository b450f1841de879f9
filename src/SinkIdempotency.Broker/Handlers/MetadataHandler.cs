using SinkIdempotency.Broker.Log;
using SinkIdempotency.Broker.Protocol;
using SinkIdempotency.Broker.Protocol.Messages;
using SinkIdempotency.Broker.Server;

namespace SinkIdempotency.Broker.Handlers;

/// <summary>Answers Metadata: this single broker (also the controller and every leader) and the requested topics.</summary>
internal sealed class MetadataHandler(BrokerState state)
    : ApiHandler<MetadataRequest>(ApiKey.Metadata, minVersion: 0, maxVersion: 8, firstFlexible: 9)
{
    /// <summary>Every topic operation allowed (no ACLs): READ…ALTER_CONFIGS as Kafka's bit field.</summary>
    private const int AllTopicOperations = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 10) | (1 << 11);

    /// <summary>Every cluster operation allowed (no ACLs).</summary>
    private const int AllClusterOperations = (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12);

    protected override Response? Handle(MetadataRequest request, RequestContext context)
    {
        var topicOperations = request.IncludeTopicAuthorizedOperations ? AllTopicOperations : MetadataResponse.AuthorizedOperationsOmitted;
        var topics = new List<MetadataTopic>();
        if (request.Topics is null)
        {
            topics.AddRange(state.Topics.Snapshot().Select(t => Describe(t, topicOperations)));
        }
        else
        {
            foreach (var name in request.Topics)
            {
                if (TopicRegistry.ValidateName(name) is not null)
                {
                    topics.Add(new MetadataTopic(ErrorCode.InvalidTopicException, name, false, [], topicOperations));
                    continue;
                }

                var topic = request.AllowAutoTopicCreation ? state.Topics.GetOrAutoCreate(name) : (state.Topics.TryGet(name, out var t) ? t : null);
                topics.Add(topic is null
                    ? new MetadataTopic(ErrorCode.UnknownTopicOrPartition, name, false, [], topicOperations)
                    : Describe(topic, topicOperations));
            }
        }

        return new MetadataResponse
        {
            Brokers = [new MetadataBroker(state.NodeId, state.AdvertisedHost, state.AdvertisedPort, null)],
            ClusterId = state.ClusterId,
            ControllerId = state.NodeId,
            Topics = topics,
            ClusterAuthorizedOperations = request.IncludeClusterAuthorizedOperations ? AllClusterOperations : MetadataResponse.AuthorizedOperationsOmitted,
        };
    }

    private MetadataTopic Describe(Topic topic, int authorizedOperations)
    {
        int[] replicas = [state.NodeId];
        var partitions = topic.Partitions
            .Select(p => new MetadataPartition(ErrorCode.None, p.Partition, state.NodeId, 0, replicas))
            .ToList();
        return new MetadataTopic(ErrorCode.None, topic.Name, false, partitions, authorizedOperations);
    }
}
