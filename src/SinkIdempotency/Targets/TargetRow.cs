using SinkIdempotency.Workload;

namespace SinkIdempotency.Targets;

/// <summary>Describes one row (or file line, or received request) found in the target, in the terms the reconciler compares.</summary>
/// <param name="EventId">The event id the row carries, or <see langword="null"/> when the target stored none.</param>
/// <param name="Key">The business key the row carries, or <see langword="null"/> when the target does not store it.</param>
/// <param name="Version">The record version the row carries, or <see langword="null"/> when the target does not store it.</param>
/// <param name="ValueHash">The <see cref="Workload.ValueHash"/> of the row's content, or <see langword="null"/> when the reader cannot compute one.</param>
/// <param name="Source">The source position the target stored with the row (Kafka coordinates), or <see langword="null"/>.</param>
/// <remarks>
/// Every field may be missing because real targets differ: an HTTP endpoint may log only a body, a file sink may keep
/// no key, and only some sinks store Kafka coordinates. The reconciler fills a missing key or version from the ledger
/// entry the event id names, and compares content only when both sides have a hash.
/// </remarks>
public readonly record struct TargetRow(
    string? EventId,
    string? Key = null,
    long? Version = null,
    ulong? ValueHash = null,
    SourcePosition? Source = null);
