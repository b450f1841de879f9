using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Holds one scenario an assessment ran for a connector, and how it ended.</summary>
/// <param name="Connector">The connector (scorecard column) the scenario belongs to, e.g. <c>postgres-upsert</c>.</param>
/// <param name="Scenario">The scenario as declared.</param>
/// <param name="Result">The result, or <see langword="null"/> when the environment failed the run (<paramref name="Error"/> says how).</param>
/// <param name="Error">Why no result exists, or <see langword="null"/>.</param>
public sealed record AssessedRun(string Connector, Scenario Scenario, ScenarioResult? Result, string? Error = null);
