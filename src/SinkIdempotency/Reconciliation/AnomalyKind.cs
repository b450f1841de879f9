namespace SinkIdempotency.Reconciliation;

/// <summary>Names what can be wrong with one produced record or one target row; the names follow Jepsen's queue checkers.</summary>
/// <remarks>
/// Definitions use these terms. A record is <em>present</em> when at least one target row matches it: the row carries the
/// record's event id and, when both sides have a value hash, the same hash. A record is <em>committed past</em> when the
/// consumer group's committed offset for its partition is greater than the record's offset (Kafka commits the next offset
/// to read, so offset <c>o</c> is done once the committed offset is at least <c>o + 1</c>). A record is <em>dead-lettered</em>
/// when a dead-letter record names its topic, partition and offset. Under <see cref="DeclaredSemantics.UpsertByKey"/> a
/// record is <em>superseded</em> when it is absent, not dead-lettered, and a row of the same key holds a newer record
/// (higher version, or the same version at a higher offset); that is the expected
/// effect of an upsert and no anomaly. Every produced record falls into exactly one of present, superseded, lost, stale,
/// unseen, dead-lettered or silently-dropped; duplicated and unexpected count extra rows.
/// </remarks>
public enum AnomalyKind
{
    /// <summary>
    /// An ordinary (non-poison) record is absent, not superseded, not dead-lettered, and committed past, and the target
    /// had settled: the connector declared it done, yet its effect is missing (JSON: <c>lost</c>). Under upsert, a record
    /// whose key still has an older row counts as <see cref="Stale"/> instead.
    /// </summary>
    Lost,

    /// <summary>
    /// More rows than records: in event matching, an event id with two or more matching rows (counted once per record,
    /// extra rows in <see cref="AnomalySummary.ExtraRows"/>); under upsert, a key with two or more rows (counted once per
    /// key) (JSON: <c>duplicated</c>).
    /// </summary>
    Duplicated,

    /// <summary>
    /// A target row that matches no produced record: it has no event id, an event id the ledger does not hold, or a value
    /// hash that differs from the produced record's hash (content the harness never produced) (JSON: <c>unexpected</c>).
    /// </summary>
    Unexpected,

    /// <summary>
    /// Under upsert only: a key whose rows hold an older version than a record of that key which is committed past, not
    /// poison, and not dead-lettered; the older version won (JSON: <c>stale</c>). Counted once per key; the newer records
    /// the older row hides are attributed to this key and not reported as lost.
    /// </summary>
    Stale,

    /// <summary>
    /// A record that is absent, not superseded, not dead-lettered, and not committed past (its offset is at or beyond the
    /// committed offset, or the group committed nothing for the partition) when the reconciliation ran after the settle
    /// deadline: the connector never claimed it, so its absence is lag or a stopped task, not a provable loss. Also an
    /// absent record committed past when the target had not settled, which may still be on its way (JSON: <c>unseen</c>).
    /// </summary>
    Unseen,

    /// <summary>A record that is absent and that a dead-letter record accounts for, whatever its offset (JSON: <c>dead-lettered</c>).</summary>
    DeadLettered,

    /// <summary>
    /// A poison record (<see cref="Workload.LedgerEntry.Poison"/>) that is absent, committed past, and has no dead-letter
    /// record: the connector skipped it without leaving a trace (for example <c>errors.tolerance=all</c> without a
    /// dead-letter topic) (JSON: <c>silently-dropped</c>).
    /// </summary>
    SilentlyDropped,
}
