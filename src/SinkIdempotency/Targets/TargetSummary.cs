namespace SinkIdempotency.Targets;

/// <summary>Summarises a target snapshot: how many rows it holds and an order-independent checksum of them.</summary>
/// <param name="RowCount">The number of rows read, duplicates included.</param>
/// <param name="Checksum">The multiset checksum of the rows (see <see cref="TargetChecksum"/>): equal snapshots have equal checksums whatever the read order.</param>
public readonly record struct TargetSummary(long RowCount, ulong Checksum);
