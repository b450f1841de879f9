namespace SinkIdempotency.Assessment;

/// <summary>Holds one consumer group's committed offset on one partition at one stage of a measurement, beside the log end then (the rollback row's evidence).</summary>
/// <param name="Stage">When it was read: <c>aligned</c> (both paths compared) or <c>after-stop</c> (the end of the run).</param>
/// <param name="Group">The consumer group, e.g. <c>connect-si-1a2b3c4d-legacy-orders-v1</c>.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Committed">The committed offset, or <see langword="null"/> when the group committed nothing on it.</param>
/// <param name="LogEnd">The partition's log-end offset at the same stage.</param>
public sealed record AssessedOffsets(string Stage, string Group, int Partition, long? Committed, long LogEnd);
