namespace SinkIdempotency.Faults;

/// <summary>Chooses the retriable error with which <see cref="OffsetCommitRefused"/> refuses offset commits.</summary>
/// <remarks>
/// All three are retriable for Kafka's Java consumer (an asynchronous commit fails with <c>RetriableCommitFailedException</c>,
/// a synchronous one is retried until its timeout) and for librdkafka (which retries the request); the last two also make the
/// client look the group coordinator up again.
/// </remarks>
public enum OffsetCommitRefusal
{
    /// <summary>Answers <c>COORDINATOR_LOAD_IN_PROGRESS</c> (14): the coordinator is still loading the group's offsets, as after a coordinator move.</summary>
    CoordinatorLoadInProgress,

    /// <summary>Answers <c>NOT_COORDINATOR</c> (16): the broker is no longer the group's coordinator, so the client looks it up again.</summary>
    NotCoordinator,

    /// <summary>Answers <c>COORDINATOR_NOT_AVAILABLE</c> (15): the coordinator is down, so the client marks it dead and looks it up again.</summary>
    CoordinatorNotAvailable,
}
