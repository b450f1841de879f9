namespace SinkIdempotency.Reconciliation;

/// <summary>Names the delivery guarantee a team claims for its sink; the verdict checks the anomalies against it.</summary>
/// <remarks>
/// The claim also chooses how rows are matched. <see cref="ExactlyOnceEffect"/> and <see cref="AtLeastOnce"/> compare
/// events: each produced record should appear as its own row. <see cref="UpsertByKey"/> compares keys: each key should
/// hold one row, the newest version, so older versions of a key are expected to be overwritten (superseded), not lost.
/// <see cref="VerdictPolicy"/> holds the table of which anomalies each claim allows.
/// </remarks>
public enum DeclaredSemantics
{
    /// <summary>Every produced record takes effect exactly once: no loss, no visible duplicates (JSON: <c>exactly-once-effect</c>).</summary>
    ExactlyOnceEffect,

    /// <summary>Every produced record takes effect at least once: no loss; duplicates are allowed (JSON: <c>at-least-once</c>).</summary>
    AtLeastOnce,

    /// <summary>The target holds one row per key, and it is the newest version produced for that key (JSON: <c>upsert-by-key</c>).</summary>
    UpsertByKey,
}
