namespace SinkIdempotency.Kafka;

/// <summary>Summarises one produce run for evidence.</summary>
/// <param name="Topic">Gets the topic produced to.</param>
/// <param name="Acknowledged">Gets the number of records the broker acknowledged (each one is in the ledger).</param>
/// <param name="Started">Gets when producing started.</param>
/// <param name="Finished">Gets when the last delivery report arrived.</param>
/// <param name="RecordsPerPartition">Gets the number of acknowledged records per partition.</param>
public sealed record ProduceSummary(
    string Topic,
    long Acknowledged,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    IReadOnlyDictionary<int, long> RecordsPerPartition);
