using SinkIdempotency.Scenarios;

namespace SinkIdempotency.Assessment;

/// <summary>Declares the facts a team states for an assessment: the connector scenarios, the topics, who may reset offsets, the rollback paths, the replay deadline and the remediation plans.</summary>
/// <param name="Name">The assessment's name.</param>
/// <param name="Scenarios">The connector scenarios whose failure matrix the connector-semantics row grades.</param>
/// <param name="Topics">The topics whose retention and replay cost are graded.</param>
public sealed record AssessmentDefinition(string Name, IReadOnlyList<Scenario> Scenarios, IReadOnlyList<AssessedTopic> Topics)
{
    /// <summary>Gets the principals (e.g. <c>User:platform-ops</c>) that must be allowed to reset the connector groups' offsets.</summary>
    /// <value>The default is empty: offset-reset rights are not assessed.</value>
    public IReadOnlyList<string> OffsetResetPrincipals { get; init; } = [];

    /// <summary>Gets the legacy connector's configuration for the rollback row, or <see langword="null"/> when none is declared.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? LegacyConnector { get; init; }

    /// <summary>Gets the new connector's configuration for the rollback row, or <see langword="null"/> when none is declared.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? NewConnector { get; init; }

    /// <summary>Gets how long the team may take to replay a recovery window, or <see langword="null"/> when not declared (the workers are then not sized).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public TimeSpan? ReplayDeadline { get; init; }

    /// <summary>Gets the written remediation plan for each area, by area: the plan of every row of that area that has none of its own in <see cref="RowRemediation"/>.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<AssessmentArea, string> Remediation { get; init; } = new Dictionary<AssessmentArea, string>();

    /// <summary>Gets the written remediation plan of single rows, by row title (e.g. <c>Kafka layer: retention of orders</c>); a row's own plan wins over its area's.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyDictionary<string, string> RowRemediation { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
