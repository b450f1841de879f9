namespace SinkIdempotency.Reconciliation;

/// <summary>Grades a reconciliation against the declared semantics.</summary>
public enum Verdict
{
    /// <summary>No anomaly at all (JSON: <c>green</c>).</summary>
    Green,

    /// <summary>Only anomalies the declared semantics allow (JSON: <c>yellow</c>).</summary>
    Yellow,

    /// <summary>At least one anomaly the declared semantics forbid (JSON: <c>red</c>).</summary>
    Red,
}
