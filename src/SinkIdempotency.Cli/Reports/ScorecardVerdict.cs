namespace SinkIdempotency.Cli.Reports;

/// <summary>Names the grade of one scorecard cell: the reconciliation's verdict, or why there is none.</summary>
internal enum ScorecardVerdict
{
    /// <summary>No anomaly (JSON <c>green</c>).</summary>
    Green,

    /// <summary>Only anomalies the declared semantics allow (JSON <c>yellow</c>).</summary>
    Yellow,

    /// <summary>A forbidden anomaly, no convergence, or a fault that was not injected (JSON <c>red</c>).</summary>
    Red,

    /// <summary>The environment lacks a capability the fault needs; nothing ran (JSON <c>skipped</c>).</summary>
    Skipped,

    /// <summary>The environment failed in a way that says nothing about the sink (JSON <c>error</c>).</summary>
    Error,

    /// <summary>The cell's target cannot take part in the failure case (a folder has no network path to delay); nothing ran and nothing is proved (JSON <c>not-applicable</c>, shown as <c>n/a</c> with the target's reason).</summary>
    NotApplicable,
}
