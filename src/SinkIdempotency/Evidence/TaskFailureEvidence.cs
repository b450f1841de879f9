namespace SinkIdempotency.Evidence;

/// <summary>Records a task the status API reported failed, with its trace and whether one of the scenario's poison records explains it.</summary>
public sealed record TaskFailureEvidence : EvidenceEvent
{
    /// <summary>Gets the task number.</summary>
    /// <value>The task's id in the status API.</value>
    public required int Task { get; init; }

    /// <summary>Gets the worker that reported the failure, or <see langword="null"/>.</summary>
    /// <value>A Connect worker id.</value>
    public string? WorkerId { get; init; }

    /// <summary>Gets the trace, secrets redacted, cut to <see cref="Scenarios.TaskFailure.MaxTraceLength"/> characters.</summary>
    /// <value>The status API's <c>trace</c>.</value>
    public required string Trace { get; init; }

    /// <summary>Gets a value indicating whether the run proved that one of the scenario's poison records stopped the task.</summary>
    /// <value><see langword="false"/> makes the verdict red.</value>
    public required bool CausedByPoison { get; init; }

    /// <summary>Gets how the failure was attributed, or why it could not be.</summary>
    /// <value>A sentence.</value>
    public string? Attribution { get; init; }
}
