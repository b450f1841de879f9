using SinkIdempotency.Kafka;

namespace SinkIdempotency.Environments;

/// <summary>Tells what an environment knows about its Kafka cluster when the cluster is not one the harness built: the APIs it serves and how its topics are made.</summary>
/// <remarks>
/// An optional ability, as <see cref="IWorkerLogReader"/> is: the scenario adapter asks for it, and without it assumes a
/// full Apache Kafka whose topics are created with CreateTopics.
/// </remarks>
internal interface IKafkaClusterInfo
{
    /// <summary>Gets the APIs the cluster announced at start, or <see langword="null"/> when they are not known (then a full Kafka is assumed).</summary>
    KafkaApiSupport? KafkaApis { get; }

    /// <summary>Gets what creates and deletes topics on the cluster instead of CreateTopics/DeleteTopics, or <see langword="null"/> to use those APIs.</summary>
    IKafkaTopicAdmin? TopicAdmin { get; }
}
