namespace SinkIdempotency.Faults;

/// <summary>Reports whether a fault was injected.</summary>
/// <param name="Injected">Whether the fault acted as intended.</param>
/// <param name="Detail">A sentence for the report: what was done, or why nothing was.</param>
public sealed record FaultOutcome(bool Injected, string Detail)
{
    /// <summary>Gets a finding about the sink that stands in for the fault: the moment the fault waits for never came while the whole stream was watched.</summary>
    /// <value>
    /// <see langword="null"/> unless the fault was not injected for that reason, for example <c>no commit ran ahead of the target in
    /// 1000 records</c>. Such a run is graded on its reconciliation (green when nothing is wrong) instead of red for a fault
    /// that was not injected, except that a sink that wrote nothing at all is red.
    /// </value>
    public string? Finding { get; init; }

    /// <summary>Gets a sentence the run reports beside its verdict: the fault happened, but not quite as intended.</summary>
    /// <value><see langword="null"/>, or for example that a worker joined only after the last record was produced.</value>
    public string? Caveat { get; init; }
}
