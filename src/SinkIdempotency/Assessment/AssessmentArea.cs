namespace SinkIdempotency.Assessment;

/// <summary>Names the rows of the evaluation checklist and migration scorecard, in the order the scorecard prints them.</summary>
public enum AssessmentArea
{
    /// <summary>Restart, timeout, rebalance and replay evidence for the declared connectors.</summary>
    ConnectorSemantics,

    /// <summary>Retention, offsets, ACLs and consumer groups against production needs.</summary>
    KafkaLayer,

    /// <summary>Whether every record has a stable identity at the target that survived the failure matrix.</summary>
    TargetWrites,

    /// <summary>Replay throughput, replay time, retained bytes and workers, measured at the declared peak rate.</summary>
    CostModel,

    /// <summary>Whether the legacy and the new path can run side by side until the target is reconciled.</summary>
    Rollback,
}
