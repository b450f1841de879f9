namespace SinkIdempotency.Evidence;

/// <summary>Describes one partition of a <see cref="CrashWindow"/>.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="CommittedBefore">The committed offset observed at the kill, or <see langword="null"/>.</param>
/// <param name="CommittedAfter">The committed offset read just after the kill, or <see langword="null"/>.</param>
/// <param name="HighestWrittenOffset">The highest source offset of this partition found in the target at the kill, or <see langword="null"/>.</param>
/// <param name="RowsAhead">The target rows of this partition whose source offset is at or past <paramref name="CommittedAfter"/>.</param>
/// <param name="RecordsBehind">The records of this partition below <paramref name="CommittedAfter"/> that the target did not hold after the kill.</param>
public sealed record CrashWindowPartition(string Topic, int Partition, long? CommittedBefore, long? CommittedAfter, long? HighestWrittenOffset, long RowsAhead, long RecordsBehind = 0);
