namespace SinkIdempotency.Scenarios;

/// <summary>Says how a scenario run ended, before the anomalies are graded.</summary>
public enum ScenarioOutcome
{
    /// <summary>The group committed up to the end offsets and the target stayed stable: the reconciliation is final.</summary>
    Settled,

    /// <summary>A task failed and nothing moved any more: records after it stay unseen. Red unless the run proves one of the scenario's poison records stopped it (see <see cref="TaskFailure"/>).</summary>
    StoppedByFailedTask,

    /// <summary>The pipeline neither caught up nor stopped before the settle deadline: red, whatever the anomalies.</summary>
    NoConvergence,

    /// <summary>The fault's trigger never fired, or it fired but missed its point: the run proves nothing, so it is red.</summary>
    FaultNotInjected,

    /// <summary>
    /// The crash window the fault waits for never opened while every record was produced and committed: a finding about
    /// the sink (see <see cref="ScenarioResult.Finding"/>), graded on the reconciliation; red when the sink wrote nothing.
    /// </summary>
    WindowNeverOpened,

    /// <summary>The environment lacks a capability the scenario needs; nothing ran.</summary>
    Skipped,
}
