namespace SinkIdempotency.Assessment;

/// <summary>Holds what the sink did during a measured replay: records and bytes written, how long it took, with how many workers and tasks.</summary>
/// <param name="Records">The records the sink replayed.</param>
/// <param name="Bytes">The bytes of those records on the topic (key, value and headers).</param>
/// <param name="Duration">From the offsets reset to the last replayed record reaching the target.</param>
/// <param name="Workers">The Connect workers that ran the replay.</param>
/// <param name="Tasks">The connector's tasks during the replay (its parallelism).</param>
public sealed record ReplayThroughput(long Records, long Bytes, TimeSpan Duration, int Workers, int Tasks)
{
    /// <summary>Gets the replayed records per second, or 0 for an empty or instant replay.</summary>
    public double RecordsPerSecond => Duration > TimeSpan.Zero ? Records / Duration.TotalSeconds : 0;

    /// <summary>Gets the replayed megabytes (10^6 bytes) per second, or 0 for an empty or instant replay.</summary>
    public double MegabytesPerSecond => Duration > TimeSpan.Zero ? Bytes / 1e6 / Duration.TotalSeconds : 0;
}
