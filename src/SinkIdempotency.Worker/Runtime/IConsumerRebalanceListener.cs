using SinkIdempotency.Sink;

namespace SinkIdempotency.Worker.Runtime;

/// <summary>Receives partition assignment changes from a <see cref="ISinkConsumer"/>, on the polling thread, during a poll.</summary>
internal interface IConsumerRebalanceListener
{
    void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions);

    void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions);

    void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions);
}
