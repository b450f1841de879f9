namespace SinkIdempotency.Worker.Runtime;

/// <summary>Worker-level timings of a sink task (Connect's <c>offset.flush.*</c> and consumer defaults).</summary>
internal sealed record WorkerSinkTaskSettings
{
    /// <summary>Gets how often offsets are committed; Connect's <c>offset.flush.interval.ms</c>, default 60000.</summary>
    public long OffsetFlushIntervalMs { get; init; } = 60_000;

    /// <summary>Gets how long an asynchronous commit may be in flight; Connect's <c>offset.flush.timeout.ms</c>, default 5000.</summary>
    public long OffsetFlushTimeoutMs { get; init; } = 5_000;

    /// <summary>Gets the largest batch given to <c>put</c>; the consumer's <c>max.poll.records</c>, default 500.</summary>
    public int MaxPollRecords { get; init; } = 500;
}
