using SinkIdempotency.Faults;
using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Words the refusals that several targets share, for <see cref="ISinkTarget.ExplainUnsupported"/>.</summary>
internal static class TargetRefusals
{
    /// <summary>Refuses the crash in the loss window on a target whose drain after a frozen kill the harness cannot confirm, and poison records that must fail at a target that takes them.</summary>
    /// <param name="kind">The target kind.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="drainDetail">What the drain is not confirmed for, e.g. <c>HTTP requests in flight</c>.</param>
    /// <param name="poisonDetail">Why poison never fails at this target, e.g. <c>accepts any JSON body, so</c>.</param>
    /// <returns>The sentence, or <see langword="null"/> when the target can take part.</returns>
    public static string? Explain(string kind, Scenario scenario, string drainDetail, string poisonDetail)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Fault is CrashAfterOffsetCommit)
        {
            return $"The {kind} target does not support {scenario.Fault.Name}: its frozen kill confirms that the target drained only for PostgreSQL sessions, {drainDetail}. Use target.kind {ScenarioTarget.PostgreSqlKind} (Scenario.WithTarget(ScenarioTarget.PostgreSql(…))) for this failure case.";
        }

        if (scenario.Fault?.PoisonRecords(scenario.Workload).Where(p => p.FailsAtTarget).Select(p => p.Kind).Distinct().ToList() is { Count: > 0 } kinds)
        {
            return $"The {kind} target {poisonDetail} poison records that must fail at the target ({string.Join(", ", kinds)}) never would. Use poison kinds that fail in the converter, or target.kind {ScenarioTarget.PostgreSqlKind}.";
        }

        return null;
    }
}
