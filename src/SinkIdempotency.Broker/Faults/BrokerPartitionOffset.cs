using SinkIdempotency.Broker.Protocol;

namespace SinkIdempotency.Broker.Faults;

/// <summary>Describes one partition of an OffsetCommit, OffsetFetch or OffsetDelete exchange.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition index.</param>
/// <param name="Offset">The offset committed (OffsetCommit) or returned (OffsetFetch), or -1 when the exchange carries none.</param>
/// <param name="Metadata">The commit metadata sent or returned, or null.</param>
/// <param name="Error">The partition's error code in the response, or null before the response exists.</param>
public sealed record BrokerPartitionOffset(string Topic, int Partition, long Offset, string? Metadata, ErrorCode? Error);
