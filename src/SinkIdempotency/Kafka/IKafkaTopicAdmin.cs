namespace SinkIdempotency.Kafka;

/// <summary>Creates and deletes topics on a Kafka-compatible cluster whose topics are not made through the CreateTopics API.</summary>
/// <remarks>
/// Some Kafka-compatible clusters do not serve CreateTopics (librdkafka's mock cluster creates topics only through its own
/// API; a locked-down staging cluster may refuse it to the harness's principal). An environment given an implementation
/// creates through it every topic it needs: the scenario's topic and dead-letter topic, and the Connect workers' internal
/// topics, before the workers start. Implementations must be safe to call from several threads.
/// </remarks>
public interface IKafkaTopicAdmin
{
    /// <summary>Creates a topic; fails when it already exists.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partitions">The number of partitions, at least 1.</param>
    /// <param name="configs">Topic configs (e.g. <c>cleanup.policy</c>), or <see langword="null"/>; an implementation that cannot set them ignores them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the topic exists.</returns>
    /// <exception cref="InvalidOperationException">The topic exists already, or the cluster refused it; the message says which.</exception>
    Task CreateTopicAsync(string topic, int partitions, IReadOnlyDictionary<string, string>? configs, CancellationToken cancellationToken = default);

    /// <summary>Deletes a topic; a topic that does not exist is not an error.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the topic is gone.</returns>
    Task DeleteTopicAsync(string topic, CancellationToken cancellationToken = default);
}
