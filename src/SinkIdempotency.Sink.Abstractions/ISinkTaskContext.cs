namespace SinkIdempotency.Sink;

/// <summary>Lets a sink task talk back to the framework (Connect's <c>SinkTaskContext</c>).</summary>
public interface ISinkTaskContext
{
    /// <summary>Gets the task's configuration as the framework gave it.</summary>
    IReadOnlyDictionary<string, string> Configs { get; }

    /// <summary>Gets the partitions currently assigned to the task.</summary>
    IReadOnlyCollection<TopicPartition> Assignment { get; }

    /// <summary>Gets the reporter for errant records, or <see langword="null"/> when neither a dead-letter queue nor error logging is configured.</summary>
    IErrantRecordReporter? ErrantRecordReporter { get; }

    /// <summary>Asks the framework to continue consumption of a partition from an offset (a seek), e.g. from offsets the task stores in its target.</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="offset">The next offset to deliver.</param>
    void Offset(TopicPartition partition, long offset);

    /// <summary>Sets how long the framework waits before delivering a batch again after a <see cref="RetriableException"/>.</summary>
    /// <param name="timeout">The back-off.</param>
    void Timeout(TimeSpan timeout);

    /// <summary>Pauses consumption of partitions until <see cref="Resume"/>; survives a connector resume.</summary>
    /// <param name="partitions">The partitions to pause.</param>
    void Pause(params TopicPartition[] partitions);

    /// <summary>Resumes partitions paused with <see cref="Pause"/>.</summary>
    /// <param name="partitions">The partitions to resume.</param>
    void Resume(params TopicPartition[] partitions);

    /// <summary>Asks the framework to commit offsets as soon as possible (a hint, honoured on the next loop).</summary>
    void RequestCommit();
}
