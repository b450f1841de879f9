namespace SinkIdempotency.Reconciliation;

/// <summary>Reports the figures of one source partition.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Produced">The number of ledger records in this partition.</param>
/// <param name="CommittedOffset">The consumer group's committed offset (the next offset to read), or <see langword="null"/> when none.</param>
/// <param name="CommittedPast">The number of produced records whose offset is below the committed offset.</param>
/// <param name="InTarget">The number of produced records present in the target (each counted once, however many rows it has).</param>
/// <param name="Superseded">The number of records absent because a newer version of their key is present (upsert only).</param>
/// <param name="CommittedChecksum">The checksum of the produced records committed past (sum of <see cref="Targets.TargetChecksum.HashEvent"/>).</param>
/// <param name="CommittedInTargetChecksum">The same checksum over those committed-past records present in the target; equal to <paramref name="CommittedChecksum"/> when none is missing.</param>
/// <param name="AnomalyCounts">The number of records of this partition per anomaly kind; kinds with no occurrence are left out.</param>
public sealed record PartitionFigures(
    string Topic,
    int Partition,
    long Produced,
    long? CommittedOffset,
    long CommittedPast,
    long InTarget,
    long Superseded,
    ulong CommittedChecksum,
    ulong CommittedInTargetChecksum,
    IReadOnlyDictionary<AnomalyKind, long> AnomalyCounts);
