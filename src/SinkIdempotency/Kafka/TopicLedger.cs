using SinkIdempotency.Workload;

namespace SinkIdempotency.Kafka;

/// <summary>Holds what a topic contained when it was read back: one ledger entry per event id, and what could not be identified.</summary>
/// <param name="Topic">Gets the topic that was read.</param>
/// <param name="EndOffsets">Gets the end offsets the read stopped at (records written later are not included).</param>
/// <param name="Records">Gets the number of records read.</param>
/// <param name="Entries">Gets the ledger: the first record of each event id, in partition and offset order.</param>
/// <param name="Unidentified">Gets the positions of records whose value has no event id (not JSON, or no such field); they cannot be reconciled.</param>
/// <param name="RepeatedEventIds">Gets the positions of records whose event id an earlier record already carried (a producer's retry); the ledger keeps the first.</param>
public sealed record TopicLedger(
    string Topic,
    IReadOnlyDictionary<SourcePartition, long> EndOffsets,
    long Records,
    IReadOnlyList<LedgerEntry> Entries,
    IReadOnlyList<SourcePosition> Unidentified,
    IReadOnlyList<SourcePosition> RepeatedEventIds);
