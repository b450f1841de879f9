namespace SinkIdempotency.Broker.Groups;

/// <summary>Describes the offset a group committed for one partition.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition index.</param>
/// <param name="Offset">The committed offset (the next record the group will read).</param>
/// <param name="LeaderEpoch">The leader epoch sent with the commit, or -1.</param>
/// <param name="Metadata">The metadata string sent with the commit, or null.</param>
/// <param name="CommittedAt">The broker time at which the commit was stored.</param>
public sealed record CommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, DateTimeOffset CommittedAt);
