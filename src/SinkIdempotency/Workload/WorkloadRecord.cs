namespace SinkIdempotency.Workload;

/// <summary>Describes one generated record before it is produced.</summary>
/// <param name="Sequence">Gets the record's position in the workload, from 0.</param>
/// <param name="EventId">Gets the unique event id carried in the value's <c>event_id</c> field.</param>
/// <param name="Key">Gets the business key (also the Kafka key, UTF-8), or <see langword="null"/> for unkeyed records.</param>
/// <param name="Version">Gets the record's version for its key (1, 2, …), or <see langword="null"/> for unkeyed records.</param>
/// <param name="Payload">Gets the <c>payload</c> field: filler text of the configured length.</param>
/// <param name="KeyBytes">Gets the Kafka key bytes, or <see langword="null"/>.</param>
/// <param name="ValueBytes">Gets the Kafka value bytes (UTF-8 JSON).</param>
/// <remarks>The ledger's <see cref="LedgerEntry.ValueHash"/> for this record is <see cref="ValueHash.Compute(string)"/> of <paramref name="Payload"/>: a sink that stores the <c>payload</c> field in a text column can be read back and compared.</remarks>
public sealed record WorkloadRecord(
    long Sequence,
    string EventId,
    string? Key,
    long? Version,
    string Payload,
    byte[]? KeyBytes,
    byte[] ValueBytes)
{
    /// <summary>Gets the hash the target is expected to store for this record (see remarks of the type).</summary>
    /// <value>The XXH3-64 hash of <see cref="Payload"/>.</value>
    public ulong ValueHash => Workload.ValueHash.Compute(Payload);
}
