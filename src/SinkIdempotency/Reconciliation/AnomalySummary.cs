namespace SinkIdempotency.Reconciliation;

/// <summary>Reports one anomaly kind: how often it occurred, whether the claim allows it, and a bounded list of examples.</summary>
/// <param name="Kind">The anomaly kind.</param>
/// <param name="Count">The number of records (or keys, or rows; see <see cref="AnomalyKind"/>) with this anomaly.</param>
/// <param name="ExtraRows">For <see cref="AnomalyKind.Duplicated"/>, the rows beyond one per record or key; otherwise zero.</param>
/// <param name="Allowed">Whether the declared semantics allow this anomaly (see <see cref="VerdictPolicy"/>).</param>
/// <param name="Examples">Up to <see cref="ReconcilerOptions.MaxExamplesPerAnomaly"/> examples.</param>
public sealed record AnomalySummary(AnomalyKind Kind, long Count, long ExtraRows, bool Allowed, IReadOnlyList<AnomalyExample> Examples);
