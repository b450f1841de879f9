namespace SinkIdempotency.Scenarios;

/// <summary>Asks the workload producer to replace one record of the sequence with a poison record.</summary>
/// <param name="Index">The zero-based position in the produced sequence.</param>
/// <param name="Kind">How the record is malformed.</param>
public sealed record PoisonRecord(int Index, PoisonKind Kind);
