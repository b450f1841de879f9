namespace SinkIdempotency.Assessment;

/// <summary>Holds a graded assessment: its rows, the platform it ran on, and the rule that every red row needs a remediation plan.</summary>
/// <param name="Name">The assessment's name from its file.</param>
/// <param name="Environment">The environment the measurements ran on, e.g. <c>embedded@staging-msk</c>.</param>
/// <param name="GeneratedAt">When the scorecard was produced.</param>
/// <param name="Rows">The graded rows, in the order the reports print them.</param>
public sealed partial record AssessmentScorecard(string Name, string Environment, DateTimeOffset GeneratedAt, IReadOnlyList<AssessmentRow> Rows)
{
    /// <summary>Gets the overall status: red if any row is red; green only when there are rows and all are green; otherwise yellow (a row not assessed never passes).</summary>
    public AssessmentStatus Overall =>
        Rows.Count == 0 ? AssessmentStatus.NotAssessed
        : Rows.Any(r => r.Status == AssessmentStatus.Red) ? AssessmentStatus.Red
        : Rows.All(r => r.Status == AssessmentStatus.Green) ? AssessmentStatus.Green
        : AssessmentStatus.Yellow;

    /// <summary>Gets the red rows the assessment file gives no remediation plan for: "require a written remediation plan for every red item before production cutover".</summary>
    public IReadOnlyList<AssessmentRow> MissingRemediation => [.. Rows.Where(r => r.Status == AssessmentStatus.Red && string.IsNullOrWhiteSpace(r.Remediation))];

    /// <summary>Lists one message per red row without a remediation plan, naming the row and what to add.</summary>
    /// <returns>The messages; empty when every red row has a plan.</returns>
    public IReadOnlyList<string> RemediationErrors() =>
        [.. MissingRemediation.Select(r => $"'{r.Title}' is red and the assessment file gives no remediation plan for it; add one under remediation.rows.\"{r.Title}\" (or remediation.{AreaKey(r.Area)} for every {AssessmentRow.AreaTitle(r.Area)} row without a plan of its own); every red row needs a written plan before production cutover.")];

    /// <summary>Formats an area as the assessment file and <c>assessment.json</c> name it.</summary>
    /// <param name="area">The area.</param>
    /// <returns>E.g. <c>kafka-layer</c>.</returns>
    public static string AreaKey(AssessmentArea area) => area switch
    {
        AssessmentArea.ConnectorSemantics => "connector-semantics",
        AssessmentArea.KafkaLayer => "kafka-layer",
        AssessmentArea.TargetWrites => "target-writes",
        AssessmentArea.CostModel => "cost-model",
        AssessmentArea.Rollback => "rollback",
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Unknown assessment area."),
    };

    /// <summary>Formats a status as <c>assessment.json</c> names it.</summary>
    /// <param name="status">The status.</param>
    /// <returns><c>green</c>, <c>yellow</c>, <c>red</c> or <c>not-assessed</c>.</returns>
    public static string StatusKey(AssessmentStatus status) => status switch
    {
        AssessmentStatus.Green => "green",
        AssessmentStatus.Yellow => "yellow",
        AssessmentStatus.Red => "red",
        AssessmentStatus.NotAssessed => "not-assessed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown assessment status."),
    };
}
