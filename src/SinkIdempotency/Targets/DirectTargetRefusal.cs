using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Targets;

/// <summary>Refuses the failure cases that act on the target fault proxy for a target the connectors reach without one.</summary>
internal static class DirectTargetRefusal
{
    /// <summary>Tells why a target without a fault proxy cannot take part in a scenario's fault, or <see langword="null"/> when the fault does not need the proxy.</summary>
    /// <param name="kind">The target kind.</param>
    /// <param name="where">Where the target runs, for the sentence (for example "in the Docker environment").</param>
    /// <param name="scenario">The scenario.</param>
    /// <returns>The sentence, or <see langword="null"/>.</returns>
    public static string? Explain(string kind, string where, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Fault is { NeedsTargetProxy: true } fault
            ? $"The {kind} target {where} is reached by the connectors directly, without the target fault proxy (which forwards only {ScenarioTarget.PostgreSqlKind} there), so {fault.Name} cannot act on it. Use crash-after-target-write, replay or rebalance, or target.kind {ScenarioTarget.PostgreSqlKind}."
            : null;
    }
}
