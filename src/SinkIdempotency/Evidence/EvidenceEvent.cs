using System.Text.Json.Serialization;

namespace SinkIdempotency.Evidence;

/// <summary>Records one thing the harness observed or did during a scenario, with when it happened.</summary>
/// <remarks>Each kind of observation is a derived record; JSON names the kind in the <c>type</c> property.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StepEvidence), "step")]
[JsonDerivedType(typeof(OffsetsEvidence), "offsets")]
[JsonDerivedType(typeof(ConnectorStateEvidence), "connector-state")]
[JsonDerivedType(typeof(AssignmentEvidence), "assignment")]
[JsonDerivedType(typeof(FaultActionEvidence), "fault-action")]
[JsonDerivedType(typeof(ProxyCountersEvidence), "proxy-counters")]
[JsonDerivedType(typeof(DeadLetterEvidence), "dead-letters")]
[JsonDerivedType(typeof(TargetEvidence), "target")]
[JsonDerivedType(typeof(WorkerLogEvidence), "worker-log")]
[JsonDerivedType(typeof(TaskFailureEvidence), "task-failure")]
[JsonDerivedType(typeof(SampleGapEvidence), "sample-gap")]
[JsonDerivedType(typeof(RebalanceEvidence), "rebalance")]
public abstract record EvidenceEvent
{
    /// <summary>Gets when the observation was made.</summary>
    /// <value>The runner's clock.</value>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets the scenario step during which the observation was made (for example <c>settle</c>).</summary>
    /// <value>The step name.</value>
    public required string Step { get; init; }
}
