using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Words the refusals that several targets share, for <see cref="ISinkTarget.ExplainUnsupported"/>.</summary>
internal static class TargetRefusals
{
    /// <summary>Refuses poison records that must fail at a target that takes them.</summary>
    /// <param name="kind">The target kind.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="poisonDetail">Why poison never fails at this target, e.g. <c>accepts any JSON body, so</c>.</param>
    /// <returns>The sentence, or <see langword="null"/> when the target can take part.</returns>
    public static string? Explain(string kind, Scenario scenario, string poisonDetail)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.Fault?.PoisonRecords(scenario.Workload).Where(p => p.FailsAtTarget).Select(p => p.Kind).Distinct().ToList() is { Count: > 0 } kinds)
        {
            return $"The {kind} target {poisonDetail} poison records that must fail at the target ({string.Join(", ", kinds)}) never would. Use poison kinds that fail in the converter, or target.kind {ScenarioTarget.PostgreSqlKind}.";
        }

        return null;
    }
}
