namespace SinkIdempotency.Reconciliation;

/// <summary>Shows one instance of an anomaly, so a reader can find the record in Kafka and the row in the target.</summary>
/// <param name="Topic">The source topic, or <see langword="null"/> for a row that matches no produced record.</param>
/// <param name="Partition">The source partition, or <see langword="null"/> when unknown.</param>
/// <param name="Offset">The source offset, or <see langword="null"/> when unknown.</param>
/// <param name="Key">The business key, or <see langword="null"/>.</param>
/// <param name="EventId">The event id, or <see langword="null"/> for a row without one.</param>
/// <param name="Detail">A short explanation (for example <c>3 rows</c> or <c>target holds version 2 (event e-17)</c>).</param>
public sealed record AnomalyExample(string? Topic, int? Partition, long? Offset, string? Key, string? EventId, string Detail);
